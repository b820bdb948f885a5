/**
 * Cleaning up after a supervisor that died without stopping its services
 * (the daemon was SIGKILLed): find the processes `services.json` vouches for,
 * terminate them, and forget the file. A pid is signalled only when /proc
 * proves it is the recorded process or a descendant in its group.
 */
import type { ProcStat } from '../../kit/process/process-info.js';
import { inspectProcess } from '../../kit/process/process-info.js';
import { unlinkQuiet } from '../../kit/state/atomic-write.js';
import { killQuiet, KILL_WAIT_MS, listProcesses } from './process-group.js';
import { readRegistry, registryPath, type ServiceRecord } from '../registry.js';
import { pollUntil } from '../wait.js';

/** Options of reapOrphans. */
export interface ReapOptions {
  /** How long the orphans get after SIGTERM before SIGKILL. Default 5 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** What reapOrphans did. */
export interface ReapResult {
  /** Pids that were signalled. */
  killed: number[];
  /** True when the supervisor that wrote the file is still alive: nothing was touched. */
  ownerAlive?: boolean;
}

/** Default grace period between SIGTERM and SIGKILL. */
export const REAP_TIMEOUT_MS = 5_000;

/** Stops the leftover service processes recorded in `<instanceDir>/services.json`, then removes it. */
export async function reapOrphans(instanceDir: string, options: ReapOptions = {}): Promise<ReapResult> {
  const file = registryPath(instanceDir);
  const registry = readRegistry(file);
  if (registry === null) {
    unlinkQuiet(file);
    return { killed: [] };
  }
  const { owner } = registry;
  if (owner.pid !== process.pid && isSameProcess(owner.pid, owner.startTime)) {
    // A live supervisor still owns these: killing them would only make it restart them.
    options.log?.(`services.json belongs to live process ${owner.pid}; leaving its services alone`);
    return { killed: [], ownerAlive: true };
  }
  const signalled = new Map<number, string>(); // pid → startTime
  const sweep = (signal: NodeJS.Signals): ProcStat[] => {
    const orphans = findOrphans(registry.services, listProcesses());
    for (const p of orphans) {
      if (signal === 'SIGTERM' && signalled.get(p.pid) === p.startTime) continue;
      killQuiet(p.pid, signal);
      signalled.set(p.pid, p.startTime);
    }
    return orphans;
  };
  if (sweep('SIGTERM').length > 0) {
    // Re-sweeping also catches children forked while their parents shut down.
    const gone = await pollUntil(() => sweep('SIGTERM').length === 0, { timeoutMs: options.timeoutMs ?? REAP_TIMEOUT_MS, intervalMs: 50 });
    if (!gone) {
      sweep('SIGKILL');
      await pollUntil(() => sweep('SIGKILL').length === 0, { timeoutMs: KILL_WAIT_MS, intervalMs: 50 });
    }
  }
  const killed = [...signalled.keys()];
  if (killed.length > 0) options.log?.(`stopped ${killed.length} leftover service process(es): ${killed.join(', ')}`);
  unlinkQuiet(file);
  return { killed };
}

/**
 * The live processes that belong to `records`: a recorded leader with its
 * recorded start time, or a process in its group/session that started no
 * earlier than the leader (a grandchild whose leader already died).
 */
export function findOrphans(records: ServiceRecord[], processes: ProcStat[]): ProcStat[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const found = new Map<number, ProcStat>();
  for (const record of records) {
    const recordedStart = BigInt(record.startTime);
    const leader = byPid.get(record.pgid);
    // Someone else now holds the group's id: the kernel frees a pgid only when
    // the whole group is gone, so none of what is left in it is ours.
    if (leader !== undefined && leader.startTime !== record.startTime && record.pgid === record.pid) continue;
    for (const p of processes) {
      if (p.pid === process.pid) continue;
      const isLeader = p.pid === record.pid && p.startTime === record.startTime;
      const inGroup = (p.pgid === record.pgid || p.sid === record.pgid) && BigInt(p.startTime) >= recordedStart;
      if (isLeader || inGroup) found.set(p.pid, p);
    }
  }
  return [...found.values()];
}

function isSameProcess(pid: number, startTime: string | null): boolean {
  if (pid <= 1 || startTime === null) return false;
  const info = inspectProcess(pid);
  return info.kind === 'alive' && info.startTime === startTime;
}
