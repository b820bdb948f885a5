/**
 * What one run of a service writes besides its output: the start and end
 * markers in its log, and the taps on its output lines (the `log` probes'
 * matchers, the foreground echo of `tend run`).
 */
import { splitLines } from '../log/line-splitter.js';
import { exitFields, markerLine, type ServiceLineKind } from '../log/log-format.js';
import type { LogMatcher } from '../log/log-matcher.js';
import type { BlockListener, LogWriter } from '../log/log-writer.js';

/** Receives one line of a run: output (`stdout`/`stderr`), or a marker (`start`: `pid=N`; `exit`: `code=N`/`signal=S`). */
export type OutputListener = (kind: ServiceLineKind, text: string, at: { time: number; run: number }) => void;

/** The markers and output taps of run `run`. */
export class RunOutput {
  private exitMarked = false;

  constructor(
    private readonly writer: LogWriter,
    readonly run: number,
    private readonly taps: { output?: OutputListener; ready?: LogMatcher; live?: LogMatcher },
  ) {}

  /** Logs the run's start marker (`pid=N`). */
  markStart(pid: number): void {
    this.mark('start', `pid=${pid}`);
  }

  /** Logs the run's end marker, once, whoever calls first (the drained pipes, or their deadline). */
  markExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitMarked) return;
    this.exitMarked = true;
    this.mark('exit', exitFields(code, signal));
  }

  /** What to hand the log writer for each block of lines; undefined when nobody needs the lines. */
  lineListener(): BlockListener | undefined {
    const { output, ready, live } = this.taps;
    const matchers = [ready, live].filter((m): m is LogMatcher => m !== undefined);
    if (output === undefined && matchers.length === 0) return undefined;
    const at = { time: 0, run: this.run };
    return (stream, block, time) => {
      // A live matcher is reset after each passing attempt: it always needs them.
      if (output === undefined && live === undefined && ready?.matched) return; // nobody needs the lines any more
      at.time = time;
      for (const line of splitLines(block)) {
        for (const m of matchers) m.line(line);
        try {
          output?.(stream, line, at);
        } catch {
          // A failing echo must not stop the log.
        }
      }
    };
  }

  private mark(kind: 'start' | 'exit', fields: string): void {
    const time = this.writer.now();
    this.writer.append(markerLine(time, this.run, kind, fields));
    try {
      this.taps.output?.(kind, fields, { time, run: this.run });
    } catch {
      // A failing echo must not stop the log.
    }
  }
}
