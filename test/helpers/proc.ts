// One process, as /proc tells it. A zombie (Z) or dead (X) process counts as
// exited everywhere in the harness: exited detached processes linger here as
// zombies for seconds and kill(pid, 0) still succeeds on them (FACTS.md).
// Every reader tolerates the process vanishing under it.
import { readdirSync, readFileSync } from 'node:fs';
import { inspectProcess, readProcStat, type ProcStat } from '../../src/kit/process/process-info.js';
import { pollUntil } from '../../src/kit/poll.js';

/** The one-letter state of /proc/PID/stat (R, S, T, Z…), or null when the pid does not exist. */
export function procState(pid: number): string | null {
  return statOf(pid)?.state ?? null;
}

/** /proc/PID/stat of `pid`, parsed (a zombie still has one: state Z); null when there is no such pid. */
export function statOf(pid: number): ProcStat | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  const stat = readProcStat(pid);
  return stat === 'no-proc' ? null : stat;
}

/** True when `pid` is gone: no such process, or a zombie. */
export function isGone(pid: number): boolean {
  return inspectProcess(pid).kind === 'dead';
}

/** True when `pid` is a live process (not a zombie). */
export function alive(pid: number): boolean {
  return !isGone(pid);
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot) of a live process, or null. */
export function procStartTime(pid: number): string | null {
  const info = inspectProcess(pid);
  return info.kind === 'alive' ? info.startTime : null;
}

/** Waits until `pid` is gone (nothing announces that for a process that is not our child); false on timeout. */
export async function waitGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  return (await pollUntil(() => isGone(pid), { timeoutMs, intervalMs: 20 })).kind === 'done';
}

/** Resident set size of `pid` in bytes (VmRSS), or null. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Number of open fds of `pid`, or null. */
export function fdCount(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** User + system CPU time of `pid` in clock ticks (fields 14 and 15 of /proc/PID/stat; 100 a second here), or null. */
export function cpuTicks(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}
