import { existsSync, rmSync } from 'node:fs';
import { DaemonError } from '../errors.js';
import { confirmedDaemon, identity, probeDaemon, type DaemonState } from './liveness.js';
import { readMetadata, removeMetadata } from '../state/metadata.js';
import { readOwner, removeOwner } from '../state/owner.js';
import type { InstancePaths } from '../state/paths.js';
import { waitForExit } from '../process/wait-exit.js';

/** How `stop` ended. */
export type StopResult =
  | { kind: 'not-running' }
  | { kind: 'cleaned-stale'; reason: string }
  | { kind: 'stopped'; pid: number; forced: boolean; waitedMs: number };

/** Options of stopAndWait. */
export interface StopOptions {
  timeoutMs?: number;
  /** SIGKILL after the timeout instead of giving up. */
  force?: boolean;
  signal?: AbortSignal;
  /** Testing seam: the state to act on (default: probed now). */
  state?: DaemonState;
}

/**
 * Stops the instance's daemon: confirms the pid is that daemon (its recorded
 * process start time, or its endpoint's instanceId), sends SIGTERM, waits for
 * it to be gone; with `force`, SIGKILL after the timeout. State left by a dead
 * daemon is removed. A pid that is not confirmed is never signalled.
 */
export async function stopAndWait(paths: InstancePaths, options: StopOptions = {}): Promise<StopResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // A pid confirmed by /proc and the lock is signalled whatever its endpoint
  // would answer: asking it first only makes `stop` slower.
  const confirmed = options.state ? null : confirmedDaemon(paths);
  if (confirmed) return signalAndWait(paths, confirmed.pid, timeoutMs, options);
  const state = options.state ?? (await probeDaemon(paths, { timeoutMs: 2_000 }));
  if (state.state === 'stopped') return { kind: 'not-running' };
  if (state.state === 'stale') {
    await cleanState(paths);
    return { kind: 'cleaned-stale', reason: state.reason };
  }
  const pid = state.state === 'running' ? state.metadata.pid : state.confirmedPid;
  if (pid === null && state.state === 'unknown') {
    if (state.metadata && identity(state.metadata.pid, null) === 'alive') {
      throw new DaemonError(
        'NOT_OUR_DAEMON',
        `refusing to signal pid ${state.metadata.pid}: it cannot be confirmed as this project's daemon (${state.reason})`,
      );
    }
    await cleanState(paths);
    return { kind: 'cleaned-stale', reason: state.reason };
  }
  if (pid === null) return { kind: 'not-running' };
  return signalAndWait(paths, pid, timeoutMs, options);
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
  // A clean stop removed its own state; a killed one left it.
  await cleanState(paths, pid);
  return { kind: 'stopped', pid, forced, waitedMs: Date.now() - started };
}

/**
 * Removes metadata, owner record and lock left by a dead daemon, under the
 * starters' guard so a daemon starting right now keeps its fresh state.
 * With `pid`, only state naming that pid (or none) is removed.
 */
export async function cleanState(paths: InstancePaths, pid?: number): Promise<void> {
  // A clean stop leaves nothing: then there is nothing to guard (and the lock
  // code, ~50 KB with graceful-fs, need not load).
  if (![paths.metadataFile, paths.ownerFile, paths.lockDir].some((f) => existsSync(f))) return;
  const { withGuard, ownerAlive } = await import('../state/lock.js');
  const clean = withGuard(paths, () => {
    const owner = readOwner(paths.ownerFile);
    if (owner && ownerAlive(owner)) return; // a new daemon took over meanwhile
    const read = readMetadata(paths.metadataFile);
    if (pid !== undefined && read.kind === 'ok' && read.metadata.pid !== pid) return;
    removeMetadata(paths.metadataFile);
    removeOwner(paths.ownerFile);
    rmSync(paths.lockDir, { recursive: true, force: true });
  });
  await clean.catch((err: NodeJS.ErrnoException) => {
    throw new DaemonError('STATE_UNREADABLE', `removing the stale state in ${paths.dir}: ${err.message}`, { cause: err });
  });
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
