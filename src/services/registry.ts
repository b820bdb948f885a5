/**
 * `services.json` in the instance dir: every live service process group the
 * supervisor started, with the process start time that tells a reused pid
 * apart. Rewritten atomically on each spawn and exit, so a daemon killed with
 * SIGKILL leaves an accurate list for reapOrphans.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { unlinkQuiet, writeFileAtomic } from '../kit/state/atomic-write.js';
import { serviceFiles } from '../kit/state/paths.js';
import { readStateFile } from '../kit/state/state-file.js';
import { bootId, processStartTime, sameBoot } from '../kit/process/process-info.js';
import { DEFAULT_WRITE_RETRY } from '../kit/log/write-gate.js';

/** One process group a supervisor started. */
export interface ServiceRecord {
  name: string;
  pid: number;
  pgid: number;
  /** Clock ticks since boot, from /proc/PID/stat. */
  startTime: string;
}

/** The file's content. */
export interface RegistryFile {
  version: 1;
  /** The supervising process, so a reaper can tell it is still alive. */
  owner: { pid: number; startTime: string | null };
  /** The boot the records belong to (null where unknown). */
  bootId: string | null;
  services: ServiceRecord[];
}

/** Where a supervisor records its process groups. */
export function registryPath(instanceDir: string): string {
  return serviceFiles(instanceDir).servicesFile;
}

/**
 * Keeps `services.json` in step with the live process groups of one
 * supervisor. A new group is saved at once (a daemon killed right after must
 * not lose it); removals are saved together once the current burst is over
 * (a thousand services stopping write the file once, not a thousand times:
 * a dead group left listed a moment longer is harmless, its identity is
 * checked before any signal).
 */
export class ServiceRegistry {
  private readonly records = new Map<number, ServiceRecord>();
  /** Set while the file could not be written: the next attempt, on a timer (nothing else may come to retry it). */
  private retry: { timer: NodeJS.Timeout; delayMs: number; since: Date } | null = null;
  private pendingSave: NodeJS.Immediate | null = null;
  private ownerStart: string | null | undefined;

  constructor(
    readonly file: string,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** How many groups are recorded. */
  get size(): number {
    return this.records.size;
  }

  /** Records a freshly spawned group. */
  add(record: ServiceRecord): void {
    this.records.set(record.pid, record);
    this.save();
  }

  /** Forgets a group once none of its processes is left. */
  remove(pid: number): void {
    if (this.records.delete(pid)) this.pendingSave ??= setImmediate(() => this.save());
  }

  /** Removes the file (every group is gone). */
  clear(): void {
    this.records.clear();
    if (this.retry) clearTimeout(this.retry.timer);
    this.retry = null;
    this.cancelPending();
    unlinkQuiet(this.file);
  }

  private cancelPending(): void {
    if (this.pendingSave !== null) clearImmediate(this.pendingSave);
    this.pendingSave = null;
  }

  private save(): void {
    this.cancelPending();
    if (this.retry) return; // the timer writes the latest records
    this.trySave(DEFAULT_WRITE_RETRY.retryMs);
  }

  private trySave(delayMs: number): void {
    this.ownerStart ??= processStartTime(process.pid);
    const content: RegistryFile = {
      version: 1,
      owner: { pid: process.pid, startTime: this.ownerStart },
      bootId: bootId(),
      services: [...this.records.values()],
    };
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      // Not fsynced: after a crash of the machine the file is from another boot, and ignored.
      writeFileAtomic(this.file, `${JSON.stringify(content)}\n`, 0o600, { durable: false });
    } catch (err) {
      // Not fatal to the services; only orphan cleanup after a crash suffers
      // meanwhile. Said once, then retried with backoff until it works.
      if (!this.retry) this.onError(`recording service processes in ${this.file}: ${(err as Error).message}; retrying until it can`);
      const since = this.retry?.since ?? new Date();
      const timer = setTimeout(() => this.trySave(Math.min(delayMs * 2, DEFAULT_WRITE_RETRY.maxRetryMs)), delayMs);
      timer.unref();
      this.retry = { timer, delayMs, since };
      return;
    }
    if (this.retry) this.onError(`recorded service processes in ${this.file} again (it could not be written since ${this.retry.since.toISOString()})`);
    this.retry = null;
  }
}

/**
 * Reads and checks a registry file; null when it is missing or not one.
 * Another user's file (or dir) throws UnsafeStateError: it must never steer a kill.
 */
export function readRegistry(file: string): RegistryFile | null {
  const read = readStateFile(file, { maxBytes: 64 * 1024 * 1024 });
  if (read.kind !== 'ok') return null;
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { owner, services, bootId: boot } = data as Partial<RegistryFile>;
  if (!Array.isArray(services)) return null;
  // Pids and start times restart at boot: records from another boot name
  // processes that are gone, and matching them could hit strangers.
  if (!sameBoot(typeof boot === 'string' ? boot : null)) return null;
  const valid = services.filter(isRecord);
  const ownerOk = typeof owner === 'object' && owner !== null && Number.isSafeInteger(owner.pid);
  return {
    version: 1,
    owner: ownerOk ? { pid: owner.pid, startTime: typeof owner.startTime === 'string' ? owner.startTime : null } : { pid: 0, startTime: null },
    bootId: typeof boot === 'string' ? boot : null,
    services: valid,
  };
}

function isRecord(value: unknown): value is ServiceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.name === 'string' &&
    Number.isSafeInteger(r.pid) && (r.pid as number) > 1 &&
    Number.isSafeInteger(r.pgid) && (r.pgid as number) > 1 &&
    typeof r.startTime === 'string' && /^\d+$/.test(r.startTime)
  );
}
