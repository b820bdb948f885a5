/**
 * The live processes as one /proc scan indexed by process group and session,
 * shared by every caller: a thousand services waiting for their groups to
 * empty read the same scan instead of each reading all of /proc per poll.
 */
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pollUntil } from '../../kit/poll.js';
import { readProcStat, type ProcStat } from '../../kit/process/process-info.js';

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

interface Scan {
  /** performance.now() when the scan began. */
  at: number;
  byGroup: Map<number, ProcStat[]>;
  bySession: Map<number, ProcStat[]>;
}

/** A wait for a group to empty. */
interface Waiter {
  id: number;
  since: number;
  leaderGone: () => boolean;
  deadline: number;
  resolve: (empty: boolean) => void;
}

/** Options of ProcessTable. */
export interface ProcessTableOptions {
  /** How long one scan serves every caller (at least as long as the scan took). Default 25 ms. */
  maxAgeMs?: number;
  /** How often the shared wait looks at its groups. Default 5 ms. */
  intervalMs?: number;
}

/** Shared, indexed /proc scans, and one poll loop for every group waiting to empty. */
export class ProcessTable {
  private scan: Scan | null = null;
  private scanMs = 0;
  /** How many /proc scans were made (what sharing saves shows here). */
  scans = 0;
  private readonly waiters = new Set<Waiter>();
  private looping = false;
  private readonly maxAgeMs: number;
  private readonly intervalMs: number;

  constructor(options: ProcessTableOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 25;
    this.intervalMs = options.intervalMs ?? 5;
  }

  /**
   * Live processes in the group or the session `id` (a service leader's pid),
   * from a scan begun after `since` (performance.now() of the leader's spawn).
   * Why that is enough: a group that existed when a scan began and showed no
   * member then is empty for good (its id cannot be joined again), and any
   * later member descends from one the scan saw; an older scan only ever
   * shows too many, which costs one more poll.
   */
  members(id: number, since = -Infinity): ProcStat[] {
    return membersIn(this.current(since), id);
  }

  /** True when no live process is left in the group or session `id` (one look; see waitEmpty). */
  isEmpty(id: number, since = -Infinity): boolean {
    const quick = this.quickCheck(id, since);
    return quick ?? membersIn(this.current(since), id).length === 0;
  }

  /**
   * Resolves true once the leader is gone and nothing is left in the group or
   * session `id`, false after `timeoutMs`. Every waiter shares one loop: the
   * kernel is asked first (kill(-id, 0), one syscall), and one /proc scan per
   * round, at most every other scan's duration, serves every group.
   */
  waitEmpty(id: number, options: { since: number; leaderGone: () => boolean; timeoutMs: number }): Promise<boolean> {
    return new Promise((resolve) => {
      this.waiters.add({ id, since: options.since, leaderGone: options.leaderGone, deadline: performance.now() + options.timeoutMs, resolve });
      if (!this.looping) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      await pollUntil(() => this.round(), { timeoutMs: Infinity, intervalMs: this.intervalMs });
    } finally {
      this.looping = false;
    }
    // A waiter may have come in while the last round's answer was being awaited.
    if (this.waiters.size > 0) void this.loop();
  }

  // One look at every waiter; true when none is left.
  private round(): boolean {
    const now = performance.now();
    let needScan = false;
    for (const w of this.waiters) {
      if (!w.leaderGone()) {
        if (now >= w.deadline) this.settle(w, false);
        continue;
      }
      const quick = this.quickCheck(w.id, w.since);
      const empty = quick ?? (this.scan !== null && this.scan.at >= w.since && membersIn(this.scan, w.id).length === 0);
      if (empty) this.settle(w, true);
      else if (now >= w.deadline) this.settle(w, false);
      else if (quick === null) needScan = true;
    }
    // At most half the time scanning: a scan of thousands of processes takes tens of ms.
    if (needScan && (this.scan === null || now - this.scan.at >= Math.max(this.intervalMs, 2 * this.scanMs))) {
      this.rescan();
      for (const w of this.waiters) {
        if (w.leaderGone() && this.scan!.at >= w.since && membersIn(this.scan!, w.id).length === 0) this.settle(w, true);
      }
    }
    return this.waiters.size === 0;
  }

  private settle(w: Waiter, empty: boolean): void {
    this.waiters.delete(w);
    w.resolve(empty);
  }

  // Without a scan: null when only /proc can tell (something, maybe a zombie, is in the group).
  private quickCheck(id: number, since: number): boolean | null {
    if (groupExists(id)) return null;
    // The group is gone; session members in other groups (job control) only a scan shows.
    const scan = this.scan !== null && this.scan.at >= since ? this.scan : null;
    if (scan === null) return null;
    return (scan.bySession.get(id) ?? []).every((p) => p.pgid === id);
  }

  private current(since: number): Scan {
    const fresh = this.scan !== null && this.scan.at >= since && performance.now() - this.scan.at <= Math.max(this.maxAgeMs, 2 * this.scanMs);
    return fresh ? this.scan! : this.rescan();
  }

  private rescan(): Scan {
    const at = performance.now();
    const byGroup = new Map<number, ProcStat[]>();
    const bySession = new Map<number, ProcStat[]>();
    for (const p of listProcesses()) {
      push(byGroup, p.pgid, p);
      push(bySession, p.sid, p);
    }
    this.scanMs = performance.now() - at;
    this.scans += 1;
    this.scan = { at, byGroup, bySession };
    return this.scan;
  }
}

function membersIn(scan: Scan, id: number): ProcStat[] {
  const group = scan.byGroup.get(id) ?? [];
  const others = (scan.bySession.get(id) ?? []).filter((p) => p.pgid !== id);
  return others.length ? [...group, ...others] : group;
}

function push(map: Map<number, ProcStat[]>, key: number, p: ProcStat): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

// kill(-pgid, 0): ESRCH when no process, not even a zombie, is in the group.
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
