import { unlinkQuiet, writeFileAtomic } from './atomic-write.js';
import { readStateFile } from './state-file.js';

/** Who holds the daemon lock: recorded right after taking it, before anything else. */
export interface Owner {
  pid: number;
  processStartTime: string | null;
  /** The boot the owner ran in (see process-info bootId). */
  bootId: string | null;
  instanceId: string;
}

/**
 * Reads the owner record; null when missing or unreadable (treated as a dead
 * owner). Untrusted state (another user's) throws UnsafeStateError.
 */
export function readOwner(file: string): Owner | null {
  const read = readStateFile(file);
  if (read.kind !== 'ok') return null;
  try {
    const v = JSON.parse(read.text) as Partial<Owner>;
    if (typeof v.pid !== 'number' || !Number.isSafeInteger(v.pid) || v.pid <= 1) return null;
    if (typeof v.instanceId !== 'string') return null;
    const start = typeof v.processStartTime === 'string' ? v.processStartTime : null;
    const boot = typeof v.bootId === 'string' ? v.bootId : null;
    return { pid: v.pid, processStartTime: start, bootId: boot, instanceId: v.instanceId };
  } catch {
    return null;
  }
}

/** Records the owner atomically (0600). */
export function writeOwner(file: string, owner: Owner): void {
  writeFileAtomic(file, JSON.stringify(owner) + '\n', 0o600);
}

/** Removes the owner record. */
export function removeOwner(file: string): void {
  unlinkQuiet(file);
}
