/**
 * The daemon's stdout and stderr, written so a failure can never loop: the
 * first error on a stream (EIO once its terminal closed, EPIPE once its
 * reader left, ENOSPC on a log file) stops every later write to that
 * stream, and is reported once. Nothing here throws, and no handler writes
 * to the stream that failed.
 */
import type { Writable } from 'node:stream';

/** Guarded writes to the two standard streams. */
export interface Terminal {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Removes the error listeners. */
  release: () => void;
}

/** The streams a Terminal guards; tests pass their own. */
export interface TerminalStreams {
  stdout: Writable;
  stderr: Writable;
}

/** Guards `streams`; `onGone` is told once per stream that failed, e.g. `EIO on stderr`. */
export function guardTerminal(
  onGone: (why: string) => void,
  streams: TerminalStreams = { stdout: process.stdout, stderr: process.stderr },
): Terminal {
  const guard = (name: 'stdout' | 'stderr') => {
    const stream = streams[name];
    let gone = false;
    const fail = (err: NodeJS.ErrnoException) => {
      if (gone) return;
      gone = true;
      onGone(`${err.code ?? err.message} on ${name}`);
    };
    stream.on('error', fail);
    return {
      write(text: string) {
        if (gone || stream.destroyed) return;
        try {
          stream.write(text);
        } catch (err) {
          fail(err as NodeJS.ErrnoException);
        }
      },
      release: () => void stream.off('error', fail),
    };
  };
  const stdout = guard('stdout');
  const stderr = guard('stderr');
  return {
    out: stdout.write,
    err: stderr.write,
    release: () => {
      stdout.release();
      stderr.release();
    },
  };
}
