/**
 * Real pipes for a service's stdout and stderr. Node's `stdio: 'pipe'` gives
 * a child a Unix socketpair, and programs that open `/dev/stdout`,
 * `/dev/stderr` or `/proc/self/fd/1` (nginx `access_log /dev/stdout`,
 * gunicorn, `tee /dev/stderr`) fail on a socket with ENXIO. Node has no
 * pipe(2), so each pair is a FIFO made in the service log dir, opened at both
 * ends by the daemon and unlinked at once: what is left is an anonymous pipe.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FifoMaker } from './fifo-maker.js';

/** One pipe: the fd the child writes to, and the daemon's reading end. */
export interface OutputPipe {
  /** The write end, passed in `stdio`; closed by closeWriteEnd() once the child has it. */
  writeFd: number;
  /** The read end as a stream: ends when every writer (the child and its children) has closed it. */
  reader: net.Socket;
}

/** A process's stdout and stderr pipes. */
export interface OutputPipes {
  stdout: OutputPipe;
  stderr: OutputPipe;
}

/**
 * The stdout and stderr pipes of one process, or null when FIFOs cannot be
 * made here (then use `stdio: 'pipe'`). The FIFOs come from `maker`, off the
 * event loop and shared with every other process starting in the same turn.
 */
export async function openOutputPipes(dir: string, maker: FifoMaker): Promise<OutputPipes | null> {
  const base = path.join(dir, `.pipe-${process.pid}-${randomBytes(6).toString('hex')}`);
  const files = [`${base}.out`, `${base}.err`];
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // the log writer makes it only at its first write
    await maker.make(files);
    return openBoth(files);
  } catch {
    return null;
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

/** Closes the daemon's copy of a write end: from then on only the child holds it, so its exit ends the reader. */
export function closeWriteEnd(pipe: OutputPipe): void {
  closeQuietly(pipe.writeFd);
}

/** Closes both ends of pipes no child was given. */
export function discardPipes(pipes: OutputPipes): void {
  for (const pipe of [pipes.stdout, pipes.stderr]) {
    closeWriteEnd(pipe);
    pipe.reader.destroy();
  }
}

// Throws (nothing left open) when a FIFO is missing: mkfifo failed for it.
function openBoth(files: string[]): OutputPipes {
  const opened: number[] = [];
  try {
    const [stdout, stderr] = files.map((file) => {
      // Read end first, non-blocking (a FIFO's open waits for the other end otherwise);
      // the write end is a separate open, so the child's stdout stays blocking.
      // O_NOFOLLOW: the dir is ours (0700), but only a FIFO of ours is opened.
      const readFd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      opened.push(readFd);
      const writeFd = openSync(file, constants.O_WRONLY | constants.O_NOFOLLOW);
      opened.push(writeFd);
      return { readFd, writeFd };
    }) as [{ readFd: number; writeFd: number }, { readFd: number; writeFd: number }];
    const pipe = ({ readFd, writeFd }: { readFd: number; writeFd: number }): OutputPipe => ({
      writeFd,
      reader: new net.Socket({ fd: readFd, readable: true, writable: false }),
    });
    return { stdout: pipe(stdout), stderr: pipe(stderr) };
  } catch (err) {
    for (const fd of opened) closeQuietly(fd);
    throw err;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
