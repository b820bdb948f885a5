import { readFileSync } from 'node:fs';

/** What /proc (or kill -0) tells about a pid. */
export type ProcessState =
  | { kind: 'alive'; startTime: string | null }
  | { kind: 'dead' };

/**
 * Looks a pid up. A zombie counts as dead: on some machines an exited detached
 * process lingers as `Z` for seconds before PID 1 reaps it, and `kill(pid, 0)`
 * still succeeds on it. `startTime` (clock ticks since boot, field 22 of
 * /proc/PID/stat) tells a reused pid from the process we recorded; it is null
 * where /proc does not exist.
 */
export function inspectProcess(pid: number): ProcessState {
  if (!Number.isSafeInteger(pid) || pid <= 0) return { kind: 'dead' };
  const stat = readProcStat(pid);
  if (stat === 'no-proc') return killZero(pid) ? { kind: 'alive', startTime: null } : { kind: 'dead' };
  if (stat === null) return { kind: 'dead' };
  if (stat.state === 'Z' || stat.state === 'X') return { kind: 'dead' };
  return { kind: 'alive', startTime: stat.startTime };
}

/** True when `pid` is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  return inspectProcess(pid).kind === 'alive';
}

/** The start time of `pid` (see inspectProcess), or null when unknown or dead. */
export function processStartTime(pid: number): string | null {
  const info = inspectProcess(pid);
  return info.kind === 'alive' ? info.startTime : null;
}

/** Fields of /proc/PID/stat that tend uses. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  startTime: string;
}

/**
 * Parses /proc/PID/stat. Returns null when the pid does not exist and
 * 'no-proc' on systems without /proc.
 */
export function readProcStat(pid: number): ProcStat | null | 'no-proc' {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') {
      return procExists() ? null : 'no-proc';
    }
    throw err;
  }
  return parseProcStat(text);
}

/** Parses the text of a /proc/PID/stat file; null when it is not one. */
export function parseProcStat(text: string): ProcStat | null {
  // comm (field 2) may hold spaces and parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number.parseInt(text, 10);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const [state, ppid, pgid, sid] = [rest[0], rest[1], rest[2], rest[3]];
  const startTime = rest[19];
  if (state === undefined || startTime === undefined) return null;
  return { pid, state, ppid: Number(ppid), pgid: Number(pgid), sid: Number(sid), startTime };
}

let procChecked: boolean | undefined;
function procExists(): boolean {
  if (procChecked === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procChecked = true;
    } catch {
      procChecked = false;
    }
  }
  return procChecked;
}

function killZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let bootIdCache: string | null | undefined;

/**
 * This boot's id (/proc/sys/kernel/random/boot_id), or null where there is
 * none. Pids and start times restart at every boot: a record from another
 * boot names a process that is certainly gone, whatever now has its pid.
 */
export function bootId(): string | null {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache;
}

/** False only when both ids are known and differ. */
export function sameBoot(recorded: string | null | undefined): boolean {
  const now = bootId();
  return !recorded || !now || recorded === now;
}
