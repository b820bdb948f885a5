import { closeSync, constants, openSync, writeSync } from 'node:fs';
import type { Terminal } from './terminal.js';
import { countLines, describeOutage, WriteGate, type WriteGateOptions } from './write-gate.js';

/** Where the daemon's own messages go. */
export interface DaemonLog {
  /** A timestamped line. Never throws: a line the file cannot take is counted and dropped. */
  line: (message: string) => void;
  /** Raw text for the terminal (foreground only; dropped when detached, as services keep their own logs). */
  output: (text: string) => void;
  /** Lines the log file could not take since the daemon started. */
  droppedLines: () => number;
  /** Closes the file. */
  close: () => void;
}

/** How the daemon log is set up. */
export interface DaemonLogOptions {
  logFile: string;
  /** Foreground (`run`): lines go to the terminal too, and service output is shown there. */
  terminal?: Terminal;
  retry?: WriteGateOptions;
  /** On the terminal: one JSON object per line on stdout instead of text on stderr (`run --json`). */
  json?: boolean;
  /** The tool's name, the `service` of its lines in JSON. */
  name?: string;
}

/**
 * Appends to the log file through one descriptor, in both modes, so
 * `logs -f` works the same for both. A failing disk never stops the daemon:
 * lines are dropped and counted (WriteGate) and, once writing works again,
 * the first line says how many were lost. Foreground lines go to the
 * terminal as well, which has its own guard.
 */
export function createDaemonLog(options: DaemonLogOptions): DaemonLog {
  const { terminal } = options;
  const gate = new WriteGate(options.retry);
  let fd: number | null = null;
  const append = (text: string) => {
    if (!gate.open) return void gate.drop(countLines(text), Buffer.byteLength(text));
    try {
      fd ??= openLog(options.logFile);
      writeSync(fd, text);
    } catch (err) {
      // The state dir may be gone (deleted under us), or the disk full: the
      // terminal (in the foreground) still has the line.
      gate.drop(countLines(text), Buffer.byteLength(text), err);
      return;
    }
    const outage = gate.recovered();
    if (outage) append(`${stamp()} daemon log: ${describeOutage(outage)}; writing again\n`);
  };
  return {
    line(message) {
      const time = stamp();
      const text = `${time} ${message}\n`;
      if (options.json) terminal?.out(`${JSON.stringify({ service: options.name ?? 'daemon', daemon: true, time, line: message })}\n`);
      else terminal?.err(text);
      append(text);
    },
    output(text) {
      terminal?.out(text);
    },
    droppedLines: () => gate.droppedLines,
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function stamp(): string {
  return new Date().toISOString();
}

/**
 * Opens the log for appending, created 0600 if missing; a symlink planted in
 * its place is refused (O_NOFOLLOW), never appended through.
 */
export function openLog(logFile: string): number {
  return openSync(logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
}
