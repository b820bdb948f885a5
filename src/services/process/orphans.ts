/**
 * Cleaning up after a supervisor that died without stopping its services
 * (the daemon was SIGKILLed, or killed mid-stop): find the processes
 * `services.json` vouches for, terminate them, and forget the file. A pid is
 * signalled only when /proc proves it is the recorded process or a
 * descendant in its group.
 */
import type { ProcStat } from '../../kit/process/process-info.js';
import { identify } from '../../kit/process/identify.js';
import { pollUntil } from '../../kit/poll.js';
import { unlinkQuiet } from '../../kit/state/atomic-write.js';
import { killQuiet, KILL_WAIT_MS } from './process-group.js';
import { listProcesses } from './process-table.js';
import { readRegistry, registryPath, type RegistryFile, type ServiceRecord } from '../registry.js';

/** Options of reapOrphans. */
export interface ReapOptions {
  /** How long the orphans get after SIGTERM before SIGKILL; 0: SIGKILL at once. Default 5 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** What reapOrphans did. */
export interface ReapResult {
  /** Pids that were signalled. */
  killed: number[];
  /** The pids signalled per service name, in the order of services.json. */
  byService: Map<string, number[]>;
  /** Pids still alive after SIGKILL (the file is kept for another try). */
  survivors: number[];
  /** True when the supervisor that wrote the file is still alive: nothing was touched. */
  ownerAlive?: boolean;
}

/** Default grace period between SIGTERM and SIGKILL. */
export const REAP_TIMEOUT_MS = 5_000;

/**
 * Stops the leftover service processes recorded in `<instanceDir>/services.json`,
 * then removes it. Called from the supervising process itself, it kills its own
 * services (escalation); a live other supervisor's services are left alone.
 */
export async function reapOrphans(instanceDir: string, options: ReapOptions = {}): Promise<ReapResult> {
  const file = registryPath(instanceDir);
  const registry = readRegistry(file);
  if (registry === null) {
    unlinkQuiet(file);
    return { killed: [], byService: new Map(), survivors: [] };
  }
  const { owner } = registry;
  if (owner.pid !== process.pid && identify({ ...owner, bootId: registry.bootId }) === 'same') {
    // A live supervisor still owns these: killing them would only make it restart them.
    options.log?.(`services.json belongs to live process ${owner.pid}; leaving its services alone`);
    return { killed: [], byService: new Map(), survivors: [], ownerAlive: true };
  }
  const signalled = new Map<number, { startTime: string; name: string }>();
  const sweep = (signal: NodeJS.Signals): ProcStat[] => {
    const orphans = findOrphans(registry.services, listProcesses());
    for (const p of orphans) {
      if (signal === 'SIGTERM' && signalled.get(p.pid)?.startTime === p.startTime) continue;
      killQuiet(p.pid, signal);
      signalled.set(p.pid, { startTime: p.startTime, name: p.service });
    }
    return orphans;
  };
  const timeoutMs = options.timeoutMs ?? REAP_TIMEOUT_MS;
  const poll = { intervalMs: 10, backoff: 1.5, maxIntervalMs: 100 };
  let left: ProcStat[] = [];
  if (sweep(timeoutMs > 0 ? 'SIGTERM' : 'SIGKILL').length > 0) {
    // Re-sweeping also catches children forked while their parents shut down.
    const gone = timeoutMs > 0 && (await pollUntil(() => sweep('SIGTERM').length === 0, { timeoutMs, ...poll })).kind === 'done';
    if (!gone) {
      sweep('SIGKILL');
      await pollUntil(() => sweep('SIGKILL').length === 0, { timeoutMs: KILL_WAIT_MS, ...poll });
      left = findOrphans(registry.services, listProcesses());
    }
  }
  const killed = [...signalled.keys()];
  const byService = new Map<string, number[]>();
  for (const record of registry.services) byService.set(record.name, []);
  for (const [pid, { name }] of signalled) byService.get(name)?.push(pid);
  for (const [name, pids] of byService) if (pids.length === 0) byService.delete(name);
  // Kept while something survived; and a successor's own file is never removed.
  if (left.length === 0 && sameOwner(readRegistry(file), registry)) unlinkQuiet(file);
  return { killed, byService, survivors: left.map((p) => p.pid) };
}

/** A live process of a recorded service, and which service. */
export type OrphanProcess = ProcStat & { service: string };

/**
 * The live processes that belong to `records`: a recorded leader with its
 * recorded start time, or a process in its group/session that started no
 * earlier than the leader (a grandchild whose leader already died).
 */
export function findOrphans(records: ServiceRecord[], processes: ProcStat[]): OrphanProcess[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  // Indexed once: a thousand records must not each walk every process.
  const byId = new Map<number, ProcStat[]>();
  for (const p of processes) {
    byId.set(p.pgid, [...(byId.get(p.pgid) ?? []), p]);
    if (p.sid !== p.pgid) byId.set(p.sid, [...(byId.get(p.sid) ?? []), p]);
  }
  const found = new Map<number, OrphanProcess>();
  for (const record of records) {
    const recordedStart = BigInt(record.startTime);
    const leader = byPid.get(record.pgid);
    // Someone else now holds the group's id: the kernel frees a pgid only when
    // the whole group is gone, so none of what is left in it is ours.
    if (leader !== undefined && leader.startTime !== record.startTime && record.pgid === record.pid) continue;
    const own = byPid.get(record.pid);
    const candidates = [...(byId.get(record.pgid) ?? []), ...(own ? [own] : [])];
    for (const p of candidates) {
      if (p.pid === process.pid) continue;
      const isLeader = p.pid === record.pid && p.startTime === record.startTime;
      const inGroup = (p.pgid === record.pgid || p.sid === record.pgid) && BigInt(p.startTime) >= recordedStart;
      if (isLeader || inGroup) found.set(p.pid, { ...p, service: record.name });
    }
  }
  return [...found.values()];
}

function sameOwner(now: RegistryFile | null, then: RegistryFile): boolean {
  return now === null || (now.owner.pid === then.owner.pid && now.owner.startTime === then.owner.startTime);
}
