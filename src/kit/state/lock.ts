import fs, { existsSync, rmSync } from 'node:fs';
import lockfile from 'proper-lockfile';
import { DaemonError, isErrno } from '../errors.js';
import { readOwner, removeOwner, writeOwner, type Owner } from './owner.js';
import type { InstancePaths } from './paths.js';
import { daemonRecord, identify } from '../process/identify.js';
import { pollUntil } from '../poll.js';

/** proper-lockfile's stale time for the daemon lock; its mtime is refreshed every half of it. */
export const LOCK_STALE_MS = 10_000;
/** The guard is held for milliseconds; a starter killed while holding it delays others by this much. */
export const GUARD_STALE_MS = 2_000;

/** A held daemon lock. */
export interface HeldLock {
  release(): Promise<void>;
}

/** Options of acquireLock. */
export interface AcquireOptions {
  owner: Owner;
  /** Called when proper-lockfile finds the lock taken or removed from under us. */
  onCompromised: (err: Error) => void;
  staleMs?: number;
  /** How long to wait for the starter guard. */
  guardTimeoutMs?: number;
}

/**
 * Takes the daemon lock for the whole life of the daemon, then records its
 * owner. A lock whose recorded owner is dead is broken at once instead of
 * waiting out the stale time; starters are serialized by a short-lived guard
 * lock, so two of them can never both break it and both win.
 * Throws DaemonError ALREADY_RUNNING (with `pid`) when a live daemon holds it.
 */
export async function acquireLock(paths: InstancePaths, options: AcquireOptions): Promise<HeldLock> {
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const releaseGuard = await takeGuard(paths, options.guardTimeoutMs ?? 15_000);
  try {
    const holder = readOwner(paths.ownerFile);
    // A live owner wins even when its lock looks stale (a blocked event loop):
    // proper-lockfile would break such a lock, and two daemons would run.
    if (holder && ownerAlive(holder) && existsSync(paths.lockDir)) throw new AlreadyRunningError(holder.pid);
    let release: () => Promise<void>;
    try {
      release = await lockMain(paths, staleMs, options.onCompromised);
    } catch (err) {
      if (!isErrno(err, 'ELOCKED')) throw err;
      const again = readOwner(paths.ownerFile);
      if (again && ownerAlive(again)) throw new AlreadyRunningError(again.pid);
      // The holder is dead (or died before recording itself): under the guard
      // nobody else can be breaking or taking it right now.
      rmSync(paths.lockDir, { recursive: true, force: true });
      removeOwner(paths.ownerFile);
      release = await lockMain(paths, staleMs, options.onCompromised);
    }
    writeOwner(paths.ownerFile, options.owner);
    return {
      // Under the guard: a starter must never see the lock without its owner
      // record (it would break a live lock) or an owner record without a lock.
      async release() {
        await withGuard(paths, async () => {
          const current = readOwner(paths.ownerFile);
          if (current?.instanceId === options.owner.instanceId) removeOwner(paths.ownerFile);
          await release().catch(() => {
            // Already released or compromised: either way it is not ours any more.
          });
        }, 5_000).catch(async () => {
          await release().catch(() => {});
        });
      },
    };
  } catch (err) {
    if (err instanceof DaemonError) throw err;
    throw new DaemonError('LOCK_FAILED', `taking the lock ${paths.lockDir}: ${(err as Error).message}`, { cause: err });
  } finally {
    await releaseGuard().catch(() => {});
  }
}

/** A live daemon already holds the lock. */
export class AlreadyRunningError extends DaemonError {
  override readonly name = 'AlreadyRunningError';
  constructor(readonly pid: number) {
    super('ALREADY_RUNNING', `already running (pid ${pid})`);
  }
}

/**
 * Runs `fn` holding the starters' guard, so that cleaning a dead daemon's
 * state cannot race a starter taking the lock.
 */
export async function withGuard<T>(paths: InstancePaths, fn: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const release = await takeGuard(paths, timeoutMs);
  try {
    return await fn();
  } finally {
    await release().catch(() => {});
  }
}

/** True when the recorded owner is that very process, still alive. */
export function ownerAlive(owner: Owner): boolean {
  // 'alive' too: a live pid that cannot be told apart must not lose its lock.
  const who = identify(daemonRecord(owner));
  return who === 'same' || who === 'alive';
}

function lockMain(paths: InstancePaths, staleMs: number, onCompromised: (err: Error) => void) {
  return lockfile.lock(paths.lockTarget, {
    lockfilePath: paths.lockDir,
    realpath: false,
    stale: staleMs,
    // Refreshed every second (the least proper-lockfile allows): a lock dir
    // removed under the daemon (rm -rf of the state dir) is noticed at once.
    update: 1_000,
    retries: 0,
    onCompromised,
    fs: PRIVATE_MKDIR_FS,
  });
}

// proper-lockfile makes its lock dir with a bare mkdir (0777 under umask 000):
// give it one that makes them 0700, like every dir tend creates.
const PRIVATE_MKDIR_FS = {
  ...fs,
  mkdir: (path: string, callback: (err: NodeJS.ErrnoException | null) => void) => fs.mkdir(path, { mode: 0o700 }, (err) => callback(err)),
};

async function takeGuard(paths: InstancePaths, timeoutMs: number): Promise<() => Promise<void>> {
  let busy: unknown;
  const attempt = async () => {
    try {
      return await lockfile.lock(paths.guardTarget, {
        lockfilePath: paths.guardDir,
        realpath: false,
        stale: GUARD_STALE_MS,
        retries: 0,
        // The guard is held for milliseconds; if that ever fails, the main
        // lock still decides who owns the instance.
        onCompromised: () => {},
        fs: PRIVATE_MKDIR_FS,
      });
    } catch (err) {
      if (!isErrno(err, 'ELOCKED')) throw err;
      busy = err;
      return null;
    }
  };
  const outcome = await pollUntil(attempt, { timeoutMs, intervalMs: 10, jitterMs: 20 });
  if (outcome.kind !== 'done') throw busy;
  return outcome.value;
}
