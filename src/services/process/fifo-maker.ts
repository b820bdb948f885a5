/**
 * Makes FIFOs with mkfifo(1) (Node has no mkfifo or pipe(2)) without blocking
 * the daemon's event loop: a synchronous spawn held it ~13 ms per process
 * start. Every request of one turn of the loop shares one mkfifo call, so
 * twenty services starting together cost one process, not twenty.
 */
import { spawn } from 'node:child_process';

/** Options of a FifoMaker. */
export interface FifoMakerOptions {
  /** The mkfifo executable; default `mkfifo` on PATH. */
  command?: string;
  /** How long one mkfifo call may take before it is killed (its FIFOs then count as not made). */
  timeoutMs?: number;
  /** The most FIFOs one call makes (keeps the argument list short). */
  batchSize?: number;
}

interface Request {
  files: string[];
  done: () => void;
}

/** Batches FIFO requests into few mkfifo calls; one per supervisor. */
export class FifoMaker {
  private queue: Request[] = [];
  private scheduled = false;
  private readonly command: string;
  private readonly timeoutMs: number;
  private readonly batchSize: number;

  constructor(options: FifoMakerOptions = {}) {
    this.command = options.command ?? 'mkfifo';
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.batchSize = options.batchSize ?? 256;
  }

  /**
   * Resolves once mkfifo has run for `files` (mode 0600). It never rejects:
   * whether each FIFO is there is for the caller's open to find out.
   */
  make(files: string[]): Promise<void> {
    return new Promise((done) => {
      this.queue.push({ files, done });
      if (this.scheduled) return;
      this.scheduled = true;
      // After this turn's other starts have queued theirs.
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.queue.splice(0);
    for (let i = 0; i < all.length; ) {
      const batch: Request[] = [];
      let count = 0;
      while (i < all.length && (batch.length === 0 || count + all[i]!.files.length <= this.batchSize)) {
        count += all[i]!.files.length;
        batch.push(all[i++]!);
      }
      this.run(batch);
    }
  }

  private run(batch: Request[]): void {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const r of batch) r.done();
    };
    const child = spawn(this.command, ['-m', '600', ...batch.flatMap((r) => r.files)], { stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish();
    }, this.timeoutMs);
    child.once('error', finish); // no mkfifo here: the callers fall back to socketpairs
    child.once('close', finish);
  }
}
