import { statSync } from 'node:fs';
import { readMetadata, type MetadataRead } from './metadata.js';
import { readOwner, type Owner } from './owner.js';
import type { InstancePaths } from './paths.js';

/**
 * The instance's state files, read once: what probe, stop and clean decide
 * from, so one command reads each file once (and every reader's checks, in
 * readMetadata and readOwner, apply).
 */
export interface InstanceSnapshot {
  metadata: MetadataRead;
  /** The lock's owner record; null when missing or unreadable. */
  owner: Owner | null;
  /** The lock dir exists. */
  locked: boolean;
}

/** Reads the instance's metadata, owner record and lock. */
export function readInstance(paths: InstancePaths): InstanceSnapshot {
  return { metadata: readMetadata(paths.metadataFile), owner: readOwner(paths.ownerFile), locked: isDirectory(paths.lockDir) };
}

/** True when the snapshot's lock is held by `pid`, as its owner record says. */
export function lockedBy(snapshot: InstanceSnapshot, pid: number): boolean {
  return snapshot.locked && snapshot.owner?.pid === pid;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
