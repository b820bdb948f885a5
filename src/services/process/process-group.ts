/**
 * A service's process group: who is still in it, and emptying it. Each service
 * is spawned `detached`, so it leads its own session and group and
 * pid = pgid = sid; its children and grandchildren inherit both ids.
 */
import { readdirSync } from 'node:fs';
import { readProcStat, type ProcStat } from '../../kit/process/process-info.js';
import { pollUntil } from '../wait.js';

/** After SIGKILL, how long to wait for the kernel to finish the processes off. */
export const KILL_WAIT_MS = 5_000;

/** Every live process (zombies excluded, they count as dead), from /proc; empty without /proc. */
export function listProcesses(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const live: ProcStat[] = [];
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let stat: ReturnType<typeof readProcStat>;
    try {
      stat = readProcStat(Number(entry));
    } catch {
      continue; // vanished or unreadable between readdir and read
    }
    if (stat === null || stat === 'no-proc' || stat.state === 'Z' || stat.state === 'X') continue;
    live.push(stat);
  }
  return live;
}

/** Live processes in the group or the session whose id is `id` (a service leader's pid). */
export function groupMembers(id: number, processes: ProcStat[] = listProcesses()): ProcStat[] {
  return processes.filter((p) => p.pgid === id || p.sid === id);
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
  killWaitMs?: number;
}

/**
 * Sends `signal` to the group, waits up to `timeoutMs` for the leader and every
 * member to be gone, then SIGKILLs whatever is left. Says which happened.
 */
export async function terminateGroup(pgid: number, options: TerminateOptions): Promise<'exited' | 'killed'> {
  const empty = (): boolean => options.leaderGone() && groupMembers(pgid).length === 0;
  signalGroup(pgid, options.signal, options.leaderGone());
  if (await pollUntil(empty, { timeoutMs: options.timeoutMs })) return 'exited';
  signalGroup(pgid, 'SIGKILL', options.leaderGone());
  await pollUntil(empty, { timeoutMs: options.killWaitMs ?? KILL_WAIT_MS });
  return 'killed';
}

/** True when some process of the group or session `id` is alive. */
export function groupAlive(id: number): boolean {
  return groupMembers(id).length > 0;
}

function signalGroup(pgid: number, signal: NodeJS.Signals, leaderGone: boolean): void {
  // kill(-pgid) is safe only while the leader is unreaped: until then its pid
  // cannot be reused. Afterwards, signal just the pids seen in the group.
  if (!leaderGone) killQuiet(-pgid, signal);
  for (const member of groupMembers(pgid)) {
    // Members of the session in another group (a job-control shell) are not
    // reached by kill(-pgid).
    if (leaderGone || member.pgid !== pgid) killQuiet(member.pid, signal);
  }
}
