/**
 * Watches one service's files with @parcel/watcher (native recursive
 * watching: one inotify watch per directory, ignored trees never scanned) and
 * reports each burst of matching changes once, after `debounce` of quiet.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AsyncSubscription, Event } from '@parcel/watcher';
import type { WatchConfig } from '../types.js';
import { delay } from '../wait.js';
import { planWatch, type WatchPlan } from './watch-plan.js';

/** What a FileWatcher watches and whom it tells. */
export interface FileWatcherOptions {
  config: WatchConfig;
  /** The service's cwd: watch paths are relative to it. */
  cwd: string;
  /** Absolute dirs never watched (tend's state dir). */
  never?: readonly string[];
  /** One burst of changes: absolute paths in the order first seen, and when the last one was seen. */
  onChange: (files: string[], lastAt: number) => void;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  /** A subscription that failed (the service keeps running). */
  log?: (line: string) => void;
}

type Parcel = typeof import('@parcel/watcher');

/** A running watch of one service's paths; start() once, stop() once. */
export class FileWatcher {
  private subscriptions: AsyncSubscription[] = [];
  private plan: WatchPlan | null = null;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private lastAt = 0;
  private closed = false;
  // Subscribing and unsubscribing are serialized, so a re-plan never races a stop.
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: FileWatcherOptions) {}

  /** Subscribes to the plan's roots; resolves once the watcher sees changes. */
  start(): Promise<void> {
    return this.serialize(() => this.subscribe());
  }

  /** Unsubscribes and drops a pending burst. */
  stop(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    return this.serialize(() => this.unsubscribe());
  }

  /** Resolves once no matching change came for `quietMs` since `since` (ms since the epoch); rejects when `signal` aborts. */
  async quiet(quietMs: number, since: number, signal?: AbortSignal): Promise<void> {
    const clock = this.options.clock ?? Date.now;
    for (;;) {
      const left = Math.max(this.lastAt, since) + quietMs - clock();
      if (left <= 0 || this.closed) return;
      await delay(left, signal);
    }
  }

  /** Drops (and returns) the burst being collected: the process about to start sees those changes anyway. */
  discard(): string[] {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const files = [...this.pending];
    this.pending.clear();
    return files;
  }

  private serialize(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => {});
    return next;
  }

  private async subscribe(): Promise<void> {
    if (this.closed) return;
    const { config, cwd, never = [] } = this.options;
    const plan = planWatch(config, cwd, never);
    this.plan = plan;
    // Loaded on first use: a project without `watch:` never loads the native module.
    const parcel = (await import('@parcel/watcher')) as Parcel & { default?: Parcel };
    const watcher = parcel.default ?? parcel;
    for (const root of plan.roots) {
      if (this.closed) break;
      try {
        this.subscriptions.push(await watcher.subscribe(root.dir, (err, events) => this.onEvents(err, events), { ignore: root.ignore }));
      } catch (err) {
        this.options.log?.(`watching ${root.dir}: ${(err as Error).message}`);
      }
    }
    if (this.closed) await this.unsubscribe();
  }

  private async unsubscribe(): Promise<void> {
    const subs = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subs.map((s) => s.unsubscribe().catch(() => {})));
  }

  private onEvents(err: Error | null, events: Event[]): void {
    if (this.closed) return;
    if (err !== null) {
      this.options.log?.(`watch error: ${err.message}`);
      return;
    }
    const plan = this.plan;
    if (plan === null) return;
    let hit = false;
    for (const event of events) {
      if (!plan.matches(event.path)) continue;
      this.pending.add(event.path);
      hit = true;
    }
    // A base that was missing has appeared: watch it directly rather than its
    // ancestor. Its appearance is a change in itself, which also covers
    // whatever is written into it while the subscriptions change hands.
    const appeared = plan.missing.filter((m) => existsSync(m));
    if (appeared.length > 0) {
      for (const base of appeared) this.pending.add(base);
      hit = true;
      this.plan = { ...plan, missing: plan.missing.filter((m) => !appeared.includes(m)) }; // re-plan once
      // Subscribe anew before letting go of the old roots, so no change falls in between.
      void this.serialize(async () => {
        const old = this.subscriptions;
        this.subscriptions = [];
        await this.subscribe();
        await Promise.all(old.map((s) => s.unsubscribe().catch(() => {})));
      });
    }
    if (!hit) return;
    this.lastAt = (this.options.clock ?? Date.now)();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.config.debounceMs);
  }

  private flush(): void {
    this.timer = null;
    if (this.closed || this.pending.size === 0) return;
    const files = [...this.pending];
    this.pending.clear();
    this.options.onChange(files, this.lastAt);
  }
}

/** `changed: src/app.ts` (and how many more), paths relative to the service's cwd. */
export function describeChange(files: readonly string[], cwd: string): string {
  const first = path.relative(cwd, files[0] ?? cwd) || '.';
  return files.length > 1 ? `changed: ${first} (and ${files.length - 1} more)` : `changed: ${first}`;
}
