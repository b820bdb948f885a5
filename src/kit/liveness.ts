import { statSync } from 'node:fs';
import { graphqlRequest } from './client.js';
import { DaemonError } from './errors.js';
import { readMetadata, type Metadata } from './metadata.js';
import { readOwner } from './owner.js';
import type { InstancePaths } from './paths.js';
import { inspectProcess } from './process-info.js';
import { STATUS_SELECTION, type LiveStatus } from './status-shape.js';

/** What is known about an instance's daemon. Every state is named. */
export type DaemonState =
  | { state: 'stopped' }
  | { state: 'stale'; reason: string; metadata: Metadata | null }
  | { state: 'running'; metadata: Metadata; live: LiveStatus; extra: Record<string, unknown> }
  | {
      state: 'unknown';
      reason: string;
      metadata: Metadata | null;
      /** A pid confirmed (by its recorded process start time) to be this instance's daemon. */
      confirmedPid: number | null;
    };

/** Options of probeDaemon. */
export interface ProbeOptions {
  timeoutMs?: number;
  /** More top-level fields to fetch in the same request (a tool's own, e.g. `services { name }`). */
  extraSelection?: string;
}

/**
 * Decides the daemon's state from the metadata, the recorded owner, the pid
 * (a zombie is dead) and, when the process lives, the endpoint's answer.
 * Read-only: creates, deletes and signals nothing.
 */
export async function probeDaemon(paths: InstancePaths, options: ProbeOptions = {}): Promise<DaemonState> {
  const read = readMetadata(paths.metadataFile);
  if (read.kind === 'missing') return withoutMetadata(paths);
  if (read.kind === 'invalid') {
    const owner = readOwner(paths.ownerFile);
    const pid = owner && identity(owner.pid, owner.processStartTime) === 'same' ? owner.pid : null;
    const reason = `${paths.metadataFile} is unreadable: ${read.reason}`;
    return { state: 'unknown', reason, metadata: null, confirmedPid: pid };
  }
  const metadata = read.metadata;
  const who = identity(metadata.pid, metadata.processStartTime);
  if (who === 'dead') return { state: 'stale', reason: `pid ${metadata.pid} is gone; its state was left behind`, metadata };
  if (who === 'other') {
    const reason = `pid ${metadata.pid} now belongs to another process; the daemon's state was left behind`;
    return { state: 'stale', reason, metadata };
  }
  // A daemon holds the lock (and its owner record names it) from before it
  // writes metadata until after it removes it. A live pid without it is not
  // this project's daemon, even with the recorded start time: never confirm it.
  if (!holdsLock(paths, metadata.pid)) {
    if (who === 'same') {
      const reason = `pid ${metadata.pid} is alive but does not hold the lock, so it is not this project's daemon; its state was left behind`;
      return { state: 'stale', reason, metadata };
    }
    return { state: 'unknown', reason: `pid ${metadata.pid} is alive but holds no lock`, metadata, confirmedPid: null };
  }
  const confirmedPid = who === 'same' ? metadata.pid : null;
  const selection = `status ${STATUS_SELECTION} ${options.extraSelection ?? ''}`;
  try {
    const data = await graphqlRequest<{ status: LiveStatus } & Record<string, unknown>>(metadata, `{ ${selection} }`, {}, {
      timeoutMs: options.timeoutMs ?? 3_000,
    });
    if (data.status.instanceId !== metadata.instanceId || data.status.pid !== metadata.pid) {
      const reason = `${metadata.endpoint} answers for another daemon (pid ${data.status.pid})`;
      return { state: 'unknown', reason, metadata, confirmedPid };
    }
    const { status: live, ...extra } = data;
    return { state: 'running', metadata, live, extra };
  } catch (err) {
    const why = err instanceof DaemonError ? err.message : String(err);
    return { state: 'unknown', reason: `pid ${metadata.pid} is alive but its endpoint does not answer: ${why}`, metadata, confirmedPid };
  }
}

/** 'same': that very process; 'alive': a live pid we cannot tell apart (no /proc); 'other': pid reused; 'dead'. */
export function identity(pid: number, startTime: string | null): 'same' | 'alive' | 'other' | 'dead' {
  const info = inspectProcess(pid);
  if (info.kind === 'dead') return 'dead';
  if (startTime === null || info.startTime === null) return 'alive';
  return info.startTime === startTime ? 'same' : 'other';
}

function withoutMetadata(paths: InstancePaths): DaemonState {
  const owner = readOwner(paths.ownerFile);
  if (owner && identity(owner.pid, owner.processStartTime) === 'same') {
    const reason = `pid ${owner.pid} holds the lock but has not written its metadata (starting or stopping)`;
    return { state: 'unknown', reason, metadata: null, confirmedPid: owner.pid };
  }
  if (lockPresent(paths)) return { state: 'stale', reason: 'a lock was left by a daemon that is gone', metadata: null };
  return { state: 'stopped' };
}

function holdsLock(paths: InstancePaths, pid: number): boolean {
  return lockPresent(paths) && readOwner(paths.ownerFile)?.pid === pid;
}

function lockPresent(paths: InstancePaths): boolean {
  try {
    return statSync(paths.lockDir).isDirectory();
  } catch {
    return false;
  }
}
