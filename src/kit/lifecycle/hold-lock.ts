import type { DaemonDefinition } from '../define.js';
import { bootId, processStartTime } from '../process/process-info.js';
import { acquireLock } from '../state/lock.js';
import { readMetadata, removeMetadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';
import { REAP_GRACE_MS, reapInDaemon } from './reap.js';
import type { TeardownStack } from './teardown.js';

/** What holding the lock needs. */
export interface HoldLockInput {
  paths: InstancePaths;
  instanceId: string;
  reap: DaemonDefinition<unknown>['reap'];
  log: (line: string) => void;
  /** The lock was taken from us (its dir removed, or the loop blocked past `stale`). */
  onCompromised: (err: Error) => void;
  teardown: TeardownStack;
}

/**
 * Takes the advisory lock, held for the daemon's whole life (an
 * AlreadyRunningError when a live daemon holds it), then stops what a killed
 * daemon left running. Pushes releasing the lock and removing our own
 * metadata on the teardown stack.
 */
export async function holdLock(input: HoldLockInput): Promise<void> {
  const { paths, teardown } = input;
  const lock = await acquireLock(paths, {
    owner: { pid: process.pid, processStartTime: processStartTime(process.pid), bootId: bootId(), instanceId: input.instanceId },
    onCompromised: input.onCompromised,
  });
  teardown.push('releasing the lock', () => lock.release());
  await reapInDaemon(input.reap, { paths, graceMs: REAP_GRACE_MS, log: input.log, why: 'left by a killed daemon' });
  // Only our own metadata: after a compromised lock it may be another daemon's.
  // A state dir made unsafe while we ran (a chmod, a chown) makes this step
  // fail and log; the stack still releases the lock.
  teardown.push(`removing ${paths.metadataFile}`, () => {
    const current = readMetadata(paths.metadataFile);
    if (current.kind === 'ok' && current.metadata.instanceId === input.instanceId) removeMetadata(paths.metadataFile);
  });
}
