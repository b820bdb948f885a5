import { existsSync, rmSync } from 'node:fs';
import type { ReapReport } from '../define.js';
import { DaemonError } from '../errors.js';
import { confirmedDaemon, probeDaemon, type DaemonState } from './liveness.js';
import { readMetadata, removeMetadata } from '../state/metadata.js';
import { readOwner, removeOwner } from '../state/owner.js';
import type { InstancePaths } from '../state/paths.js';
import { readInstance } from '../state/snapshot.js';
import { identify } from '../process/identify.js';
import { waitForExit } from '../process/wait-exit.js';
import { REAP_GRACE_MS, reapLeftovers, type ReapLoader } from './reap.js';

/** How `stop` ended; `reaped` says what the daemon had left running and `stop` stopped. */
export type StopResult =
  | { kind: 'not-running'; reaped: ReapReport | null }
  | { kind: 'cleaned-stale'; reason: string; reaped: ReapReport | null }
  | { kind: 'stopped'; pid: number; forced: boolean; waitedMs: number; reaped: ReapReport | null };

/** Options of stopAndWait. */
export interface StopOptions {
  /** How long the daemon gets after SIGTERM. Default: what it published it needs (see stopTimeoutFor). */
  timeoutMs?: number;
  /** SIGKILL after the timeout instead of giving up. */
  force?: boolean;
  signal?: AbortSignal;
  /** The tool's reap hook (DaemonDefinition.reap): what a dead daemon left is stopped too. */
  reap?: ReapLoader;
  /** Testing seam: the state to act on (default: probed now). */
  state?: DaemonState;
}

/** `stop`'s least default wait, and what it adds to the daemon's own figure. */
export const STOP_TIMEOUT_MS = 10_000;
export const STOP_MARGIN_MS = 5_000;

/**
 * How long `stop` waits by default: what the daemon published it needs
 * (daemon.json `stopTimeoutMs`) plus a margin, and never less than 10 s.
 */
export function stopTimeoutFor(published: number | null | undefined): number {
  return Math.max(STOP_TIMEOUT_MS, (published ?? 0) + STOP_MARGIN_MS);
}

/**
 * Stops the instance's daemon: confirms the pid is that daemon (its recorded
 * process start time, or its endpoint's instanceId), sends SIGTERM, waits for
 * it to be gone; with `force`, SIGKILL after the timeout. State left by a dead
 * daemon is removed, and what it left running is stopped (`reap`). A pid that
 * is not confirmed is never signalled.
 */
export async function stopAndWait(paths: InstancePaths, options: StopOptions = {}): Promise<StopResult> {
  const snapshot = readInstance(paths);
  // A pid confirmed by /proc and the lock is signalled whatever its endpoint
  // would answer: asking it first only makes `stop` slower.
  const confirmed = options.state ? null : confirmedDaemon(snapshot);
  if (confirmed) return signalAndWait(paths, confirmed.pid, timeoutOf(options, confirmed.metadata.stopTimeoutMs), options);
  const state = options.state ?? (await probeDaemon(paths, { timeoutMs: 2_000, snapshot, signal: options.signal }));
  if (state.state === 'stopped') return { kind: 'not-running', reaped: await cleanState(paths, { reap: options.reap }) };
  if (state.state === 'stale') {
    return { kind: 'cleaned-stale', reason: state.reason, reaped: await cleanState(paths, { reap: options.reap }) };
  }
  const pid = state.state === 'running' ? state.metadata.pid : state.confirmedPid;
  if (pid === null && state.state === 'unknown') {
    if (state.metadata && identify({ pid: state.metadata.pid, startTime: null, bootId: null }) === 'alive') {
      throw new DaemonError(
        'NOT_OUR_DAEMON',
        `refusing to signal pid ${state.metadata.pid}: it cannot be confirmed as this project's daemon (${state.reason})`,
      );
    }
    return { kind: 'cleaned-stale', reason: state.reason, reaped: await cleanState(paths, { reap: options.reap }) };
  }
  if (pid === null) return { kind: 'not-running', reaped: null };
  return signalAndWait(paths, pid, timeoutOf(options, state.metadata?.stopTimeoutMs), options);
}

function timeoutOf(options: StopOptions, published: number | null | undefined): number {
  return options.timeoutMs ?? stopTimeoutFor(published);
}

async function signalAndWait(paths: InstancePaths, pid: number, timeoutMs: number, options: StopOptions): Promise<StopResult> {
  const started = Date.now();
  signalPid(pid, 'SIGTERM');
  let waited = await waitForExit(pid, timeoutMs, options.signal);
  let forced = false;
  if (waited === 'timeout' && options.force) {
    signalPid(pid, 'SIGKILL');
    forced = true;
    waited = await waitForExit(pid, 5_000, options.signal);
  }
  if (waited !== 'exited') {
    const hint = options.force ? '' : '; run again with --force to SIGKILL it';
    throw new DaemonError('STOP_TIMEOUT', `pid ${pid} is still alive after ${Math.round(timeoutMs / 1000)}s${hint}`);
  }
  // A clean stop removed its own state and stopped its children; a killed
  // daemon left both, and `stop` must not say "stopped" while they run.
  const reaped = await cleanState(paths, { pid, reap: options.reap });
  return { kind: 'stopped', pid, forced, waitedMs: Date.now() - started, reaped };
}

/** Options of cleanState. */
export interface CleanOptions {
  /** Only state naming this pid (or none) is removed. */
  pid?: number;
  /** The tool's reap hook: what the dead daemon left running is stopped first. */
  reap?: ReapLoader;
  /** Between SIGTERM and SIGKILL of those leftovers. */
  graceMs?: number;
}

/**
 * Cleans up after a daemon that is gone: first stops what it left running
 * (the tool's reap hook, which checks every pid's identity and leaves a live
 * daemon's children alone), then removes metadata, owner record and lock,
 * under the starters' guard so a daemon starting right now keeps its fresh
 * state. Returns what the reap stopped (null without a hook).
 */
export async function cleanState(paths: InstancePaths, options: CleanOptions = {}): Promise<ReapReport | null> {
  // Outside the guard: it may wait seconds for processes to exit, and a
  // starter must not wait on that (a new daemon reaps the same way itself).
  const reaped = await reapLeftovers(options.reap, { paths, graceMs: options.graceMs ?? REAP_GRACE_MS });
  // A clean stop leaves nothing: then there is nothing to guard (and the lock
  // code, ~50 KB with graceful-fs, need not load).
  if (![paths.metadataFile, paths.ownerFile, paths.lockDir].some((f) => existsSync(f))) return reaped;
  const { withGuard, ownerAlive } = await import('../state/lock.js');
  const clean = withGuard(paths, () => {
    // Read again under the guard: a daemon may have started since the snapshot.
    const owner = readOwner(paths.ownerFile);
    if (owner && ownerAlive(owner)) return; // a new daemon took over meanwhile
    const read = readMetadata(paths.metadataFile);
    if (options.pid !== undefined && read.kind === 'ok' && read.metadata.pid !== options.pid) return;
    removeMetadata(paths.metadataFile);
    removeOwner(paths.ownerFile);
    rmSync(paths.lockDir, { recursive: true, force: true });
  });
  await clean.catch((err: NodeJS.ErrnoException) => {
    throw new DaemonError('STATE_UNREADABLE', `removing the stale state in ${paths.dir}: ${err.message}`, { cause: err });
  });
  return reaped;
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
