/**
 * A service's process group: who is still in it, and emptying it. Each service
 * is spawned `detached`, so it leads its own session and group and
 * pid = pgid = sid; its children and grandchildren inherit both ids.
 */
import { ProcessTable } from './process-table.js';

export { listProcesses, ProcessTable } from './process-table.js';

/** After SIGKILL, how long to wait for the kernel to finish the processes off. */
export const KILL_WAIT_MS = 5_000;

/** Live processes in the group or the session whose id is `id` (a fresh scan; tests and one-off checks). */
export function groupMembers(id: number, table: ProcessTable = new ProcessTable()) {
  return table.members(id);
}

/** Sends `signal` to `pid` (negative: a whole group); false when there was no such process. */
export function killQuiet(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // ESRCH: already gone; EPERM: not ours to signal
  }
}

/** Options of terminateGroup. */
export interface TerminateOptions {
  signal: NodeJS.Signals;
  timeoutMs: number;
  /** True once the leader has been reaped (its 'exit' was seen). */
  leaderGone: () => boolean;
  /** The shared scans (one /proc read per poll for every group). */
  table: ProcessTable;
  /** performance.now() of the leader's spawn: scans begun before it cannot tell. */
  since: number;
  killWaitMs?: number;
}

/**
 * Sends `signal` to the group, waits up to `timeoutMs` for the leader and every
 * member to be gone, then SIGKILLs whatever is left. Says which happened;
 * 'stuck': something outlived SIGKILL too (uninterruptible sleep).
 */
export async function terminateGroup(pgid: number, options: TerminateOptions): Promise<'exited' | 'killed' | 'stuck'> {
  const { table, since, leaderGone } = options;
  signalGroup(pgid, options.signal, options);
  if (await table.waitEmpty(pgid, { since, leaderGone, timeoutMs: options.timeoutMs })) return 'exited';
  signalGroup(pgid, 'SIGKILL', options);
  return (await table.waitEmpty(pgid, { since, leaderGone, timeoutMs: options.killWaitMs ?? KILL_WAIT_MS })) ? 'killed' : 'stuck';
}

function signalGroup(pgid: number, signal: NodeJS.Signals, options: TerminateOptions): void {
  // kill(-pgid) is safe only while the leader is unreaped: until then its pid
  // cannot be reused. Afterwards, signal just the pids seen in the group.
  const leaderGone = options.leaderGone();
  if (!leaderGone) killQuiet(-pgid, signal);
  for (const member of options.table.members(pgid, options.since)) {
    // Members of the session in another group (a job-control shell) are not
    // reached by kill(-pgid).
    if (leaderGone || member.pgid !== pgid) killQuiet(member.pid, signal);
  }
}
