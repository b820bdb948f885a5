import { inspectProcess, sameBoot, type ProcessState } from './process-info.js';

/** A process as a state file records it: enough to tell it from a later process with its pid. */
export interface ProcessRecord {
  pid: number;
  /** /proc start time (see process-info); null where it was not known. */
  startTime: string | null;
  /** The boot it ran in; null where unknown. */
  bootId: string | null;
}

/**
 * 'same': that very process, alive; 'alive': a live pid that cannot be told
 * apart (no start time on one side); 'other': the pid now belongs to another
 * process (or the record is from another boot); 'dead'.
 */
export type Identity = 'same' | 'alive' | 'other' | 'dead';

/** Is the recorded pid still that process? The one identity check of the kit and the tools on it. */
export function identify(record: ProcessRecord, info: ProcessState = inspectProcess(record.pid)): Identity {
  // Pids and start times restart at every boot: a record from another boot
  // names a process that is gone, whatever holds its pid now.
  if (!sameBoot(record.bootId)) return info.kind === 'dead' ? 'dead' : 'other';
  if (info.kind === 'dead') return 'dead';
  if (record.startTime === null || info.startTime === null) return 'alive';
  return info.startTime === record.startTime ? 'same' : 'other';
}

/** The record of a daemon as daemon.json and the owner record store it (`processStartTime`). */
export function daemonRecord(r: { pid: number; processStartTime: string | null; bootId: string | null }): ProcessRecord {
  return { pid: r.pid, startTime: r.processStartTime, bootId: r.bootId };
}
