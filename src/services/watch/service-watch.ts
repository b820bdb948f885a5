/**
 * A service's `watch:` over its lifetime: one FileWatcher from the first
 * spawn until the service is stopped (a restart keeps it, so no change made
 * meanwhile is missed), and each burst of changes handed to the runner.
 */
import type { ServiceConfig } from '../types.js';
import { describeChange, FileWatcher } from './file-watcher.js';

/** Where a ServiceWatch reports. */
export interface WatchHost {
  /** Absolute dirs never watched (tend's state). */
  never: readonly string[];
  log: (line: string) => void;
  clock: () => number;
  /** The watch is in place (its message lists the paths). */
  watching: (message: string) => void;
  /** A burst of changes: `reason` reads `changed: src/app.ts`; `lastAt` is when its last change was seen. */
  changed: (reason: string, lastAt: number) => void;
}

/** Owns the FileWatcher of one service, if its config has `watch:`. */
export class ServiceWatch {
  private watcher: FileWatcher | null = null;
  private watching: Promise<void> = Promise.resolve();
  private debounceMs = 0;
  private settling = false;
  private cwd = '';
  /** The files of the burst last reported, for the reason once a restart has absorbed more. */
  private burst: string[] = [];

  constructor(private readonly host: WatchHost) {}

  /** Starts watching `config`'s paths unless already watching; resolves once changes are seen (at once without `watch:`). */
  ensure(config: ServiceConfig): Promise<void> {
    const watch = config.watch;
    if (this.watcher !== null) return this.watching;
    if (watch == null) return Promise.resolve();
    const { cwd, name } = config;
    this.debounceMs = watch.debounceMs;
    this.cwd = cwd;
    this.watcher = new FileWatcher({
      config: watch,
      cwd,
      never: this.host.never,
      log: (line) => this.host.log(`[${name}] ${line}`),
      clock: this.host.clock,
      onChange: (files, lastAt) => {
        if (this.settling) return this.absorb(files); // the restart in progress covers them
        this.burst = files;
        this.host.changed(describeChange(files, cwd), lastAt);
      },
    });
    // Not fatal: the service runs unwatched, and the daemon log says why.
    this.watching = this.watcher.start().then(
      () => this.host.watching(`watching ${watch.paths.join(', ')}`),
      (err: unknown) => this.host.log(`[${name}] cannot watch files: ${(err as Error).message}`),
    );
    return this.watching;
  }

  /**
   * Resolves once the files have been quiet for the debounce since the old
   * process stopped: a restart waits for it between stop and start, so a burst
   * that pauses longer than the debounce (a slow checkout, a loaded machine,
   * the watcher's own batching of a long burst) still gives one restart.
   * Returns the reason covering the changes absorbed meanwhile, if any.
   */
  async settle(signal?: AbortSignal): Promise<string | null> {
    const watcher = this.watcher;
    if (watcher === null || this.debounceMs === 0) return null;
    const before = this.burst.length;
    this.settling = true;
    try {
      await watcher.quiet(this.debounceMs, this.host.clock(), signal);
    } finally {
      this.settling = false;
    }
    this.absorb(watcher.discard());
    return this.burst.length > before ? describeChange(this.burst, this.cwd) : null;
  }

  private absorb(files: string[]): void {
    if (files.length > 0) this.burst = [...new Set([...this.burst, ...files])];
  }

  /** Stops watching; resolves once the subscriptions are closed. */
  async stop(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.stop();
  }
}
