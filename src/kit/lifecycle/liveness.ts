import { ANSWER_TIMEOUT_MS } from '../client/deadline.js';
import { graphqlRequest } from '../client/graphql-request.js';
import { DaemonError } from '../errors.js';
import type { Metadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';
import { lockedBy, readInstance, type InstanceSnapshot } from '../state/snapshot.js';
import { daemonRecord, identify } from '../process/identify.js';
import { STATUS_SELECTION, type LiveStatus } from '../server/status-shape.js';

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
      /** Its endpoint took the connection but gave no answer within the deadline (a stopped or wedged process). */
      notAnswering?: boolean;
    };

/** Options of probeDaemon. */
export interface ProbeOptions {
  timeoutMs?: number;
  /** More top-level fields to fetch in the same request (a tool's own, e.g. `services { name }`). */
  extraSelection?: string;
  /** The state files as already read by the caller (default: read now). */
  snapshot?: InstanceSnapshot;
  signal?: AbortSignal;
}

/** What the files and /proc say, before asking the endpoint: `alive` means worth asking. */
export type LocalState =
  | Exclude<DaemonState, { state: 'running' }>
  | { state: 'alive'; metadata: Metadata; confirmedPid: number | null };

/**
 * The daemon's state as far as the metadata, the owner record, the lock and
 * /proc tell (a zombie is dead), with no request. Read-only.
 */
export function localState(paths: InstancePaths, snap: InstanceSnapshot = readInstance(paths)): LocalState {
  const read = snap.metadata;
  if (read.kind === 'missing') return withoutMetadata(snap);
  if (read.kind === 'invalid') {
    const { owner } = snap;
    const pid = owner && identify(daemonRecord(owner)) === 'same' ? owner.pid : null;
    const reason = `${paths.metadataFile} is unreadable: ${read.reason}`;
    return { state: 'unknown', reason, metadata: null, confirmedPid: pid };
  }
  const metadata = read.metadata;
  const who = identify(daemonRecord(metadata));
  if (who === 'dead') return { state: 'stale', reason: `pid ${metadata.pid} is gone; its state was left behind`, metadata };
  if (who === 'other') {
    const reason = `pid ${metadata.pid} now belongs to another process; the daemon's state was left behind`;
    return { state: 'stale', reason, metadata };
  }
  // A daemon holds the lock (and its owner record names it) from before it
  // writes metadata until after it removes it. A live pid without it is not
  // this project's daemon, even with the recorded start time: never confirm it.
  if (!lockedBy(snap, metadata.pid)) {
    if (who === 'same') {
      const reason = `pid ${metadata.pid} is alive but does not hold the lock, so it is not this project's daemon; its state was left behind`;
      return { state: 'stale', reason, metadata };
    }
    return { state: 'unknown', reason: `pid ${metadata.pid} is alive but holds no lock`, metadata, confirmedPid: null };
  }
  return { state: 'alive', metadata, confirmedPid: who === 'same' ? metadata.pid : null };
}

/**
 * Decides the daemon's state from localState and, when the process lives, the
 * endpoint's answer. Read-only: creates, deletes and signals nothing.
 */
export async function probeDaemon(paths: InstancePaths, options: ProbeOptions = {}): Promise<DaemonState> {
  const local = localState(paths, options.snapshot ?? readInstance(paths));
  if (local.state !== 'alive') return local;
  const { metadata, confirmedPid } = local;
  try {
    const data = await graphqlRequest<StatusAnswer>(metadata, statusQuery(options.extraSelection), {}, {
      timeoutMs: options.timeoutMs ?? ANSWER_TIMEOUT_MS,
      signal: options.signal,
    });
    const running = runningState(metadata, data);
    if (!running) {
      const reason = `${metadata.endpoint} answers for another daemon (pid ${data.status.pid})`;
      return { state: 'unknown', reason, metadata, confirmedPid };
    }
    return running;
  } catch (err) {
    const why = err instanceof DaemonError ? err.message : String(err);
    const notAnswering = err instanceof DaemonError && err.code === 'NOT_ANSWERING';
    const reason = `pid ${metadata.pid} is alive but its endpoint does not answer: ${why}`;
    return { state: 'unknown', reason, metadata, confirmedPid, ...(notAnswering ? { notAnswering } : {}) };
  }
}

/**
 * The daemon's pid when the process itself confirms it, with no request: the
 * metadata's pid alive with its recorded start time, holding the lock. Then
 * `probeDaemon` would confirm that same pid whatever the endpoint answered.
 * Null when only a full probe can tell.
 */
export function confirmedDaemon(snapshot: InstanceSnapshot): { pid: number; metadata: Metadata } | null {
  const read = snapshot.metadata;
  if (read.kind !== 'ok') return null;
  const { metadata } = read;
  if (identify(daemonRecord(metadata)) !== 'same') return null;
  return lockedBy(snapshot, metadata.pid) ? { pid: metadata.pid, metadata } : null;
}

/** What the status query returns: the kit's status and a tool's own fields. */
export type StatusAnswer = { status: LiveStatus } & Record<string, unknown>;

/** The query that probes a daemon: its whole status, plus a tool's own fields. */
export function statusQuery(extraSelection?: string): string {
  return `{ status ${STATUS_SELECTION} ${extraSelection ?? ''} }`;
}

/** The running state from the daemon's answer; null when it answers for another daemon. */
export function runningState(metadata: Metadata, data: StatusAnswer): Extract<DaemonState, { state: 'running' }> | null {
  if (data.status?.instanceId !== metadata.instanceId || data.status.pid !== metadata.pid) return null;
  const { status: live, ...extra } = data;
  return { state: 'running', metadata, live, extra };
}

function withoutMetadata(snap: InstanceSnapshot): LocalState {
  const { owner } = snap;
  if (owner && identify(daemonRecord(owner)) === 'same') {
    const reason = `pid ${owner.pid} holds the lock but has not written its metadata (starting or stopping)`;
    return { state: 'unknown', reason, metadata: null, confirmedPid: owner.pid };
  }
  if (snap.locked) return { state: 'stale', reason: 'a lock was left by a daemon that is gone', metadata: null };
  return { state: 'stopped' };
}
