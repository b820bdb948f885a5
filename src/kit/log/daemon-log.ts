import { closeSync, constants, openSync, writeSync } from 'node:fs';

/** Where the daemon's own messages go. */
export interface DaemonLog {
  /** A timestamped line. */
  line: (message: string) => void;
  /** Raw text for the terminal (foreground only; dropped when detached, as services keep their own logs). */
  output: (text: string) => void;
}

/** How the foreground terminal gets the daemon's lines. */
export interface DaemonLogOptions {
  /** One JSON object per line on stdout instead of text on stderr. */
  json?: boolean;
  /** The tool's name, the `service` of its lines in JSON. */
  name?: string;
}

/**
 * Detached, stdout and stderr already are the log file (set up by `start`).
 * In the foreground, lines go to the terminal and are appended to the log
 * too, so `logs -f` works the same for both modes. Each line starts with
 * its time (RFC 3339 with milliseconds): see daemon-log-format.ts.
 */
export function createDaemonLog(logFile: string, foreground: boolean, options: DaemonLogOptions = {}): DaemonLog {
  if (foreground) closeSync(openLog(logFile));
  return {
    line(message) {
      const time = new Date().toISOString();
      const text = `${time} ${message}\n`;
      if (foreground) {
        if (options.json) process.stdout.write(`${JSON.stringify({ service: options.name ?? 'daemon', daemon: true, time, line: message })}\n`);
        else process.stderr.write(text);
        try {
          const fd = openLog(logFile);
          try {
            writeSync(fd, text);
          } finally {
            closeSync(fd);
          }
        } catch {
          // The state dir may be gone (deleted under us); the terminal still has it.
        }
      } else {
        process.stdout.write(text);
      }
    },
    output(text) {
      if (foreground) process.stdout.write(text);
    },
  };
}

/**
 * Opens the log for appending, created 0600 if missing; a symlink planted in
 * its place is refused (O_NOFOLLOW), never appended through.
 */
export function openLog(logFile: string): number {
  return openSync(logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
}
