// The processes one test, chaos case or benchmark started, killed by pid at
// the end and never by name. A pid is recorded with its start time, so a pid
// the kernel has given to someone else since is never signalled.
import type { ChildProcess } from 'node:child_process';
import { procStartTime, statOf, waitGone } from './proc.js';

interface Entry {
  startTime: string;
  what: string;
}

/** Options of ProcessTracker.killAll. */
export interface KillOptions {
  /** More pids to kill with the tracked ones (e.g. a scan of the sandbox's processes, done just now). */
  also?: Iterable<number>;
  /** How long to wait for each to be gone. Default 5 s. */
  timeoutMs?: number;
}

/** Tracks started processes; `killAll` SIGKILLs whichever are still the process recorded. */
export class ProcessTracker {
  private readonly entries = new Map<number, Entry>();

  /** Records `pid` (a no-op when it is gone already). */
  track(pid: number | undefined, what = 'process'): void {
    if (!pid || this.entries.has(pid)) return;
    const startTime = procStartTime(pid);
    if (startTime !== null) this.entries.set(pid, { startTime, what });
  }

  /** Records a child; once it is reaped its pid may be anyone's, so it is forgotten then. */
  trackChild<C extends ChildProcess>(child: C, what = 'child'): C {
    const pid = child.pid;
    if (pid) {
      this.track(pid, what);
      child.once('exit', () => this.entries.delete(pid));
    }
    return child;
  }

  /** The pids tracked and not known to be reaped. */
  pids(): number[] {
    return [...this.entries.keys()];
  }

  /** SIGKILLs `pid` if it is still the process recorded (with its group when it leads one); true if it was. */
  kill(pid: number): boolean {
    const entry = this.entries.get(pid);
    this.entries.delete(pid);
    return entry !== undefined && procStartTime(pid) === entry.startTime && killHard(pid);
  }

  /** SIGKILLs every tracked process still alive, and `also`, without waiting; returns what it had to kill ("what(pid)"). */
  killNow(also: Iterable<number> = []): string[] {
    const killed: string[] = [];
    for (const [pid, { what }] of [...this.entries]) if (this.kill(pid)) killed.push(`${what}(${pid})`);
    for (const pid of also) if (killHard(pid)) killed.push(`found(${pid})`);
    return killed;
  }

  /** killNow, then waits until every one of them is gone. */
  async killAll(options: KillOptions = {}): Promise<string[]> {
    const also = [...(options.also ?? [])];
    const victims = [...this.entries.keys(), ...also];
    const killed = this.killNow(also);
    await Promise.all(victims.map((pid) => waitGone(pid, options.timeoutMs ?? 5_000)));
    return killed;
  }
}

// SIGCONT first: a SIGSTOPped process still dies of SIGKILL, but its group
// members may be stopped too. A process that leads its own group (a daemon is
// a session leader, a service leads its group) takes its group with it: a
// group led by a process we started is ours.
function killHard(pid: number): boolean {
  const stat = statOf(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  const targets = stat.pgid === pid ? [-pid, pid] : [pid];
  for (const target of targets) {
    for (const sig of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(target, sig);
      } catch {
        // Gone already, or no such group.
      }
    }
  }
  return true;
}
