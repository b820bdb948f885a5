/**
 * `.ports/leases.json` in the state root (a dot dir, so it never reads as a
 * project's instance dir): every port lease of this user's tend
 * projects. Read and rewritten (atomically) only under its lock, so racing
 * daemons of different projects never hand out one port twice.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { DaemonError } from '../../kit/errors.js';
import { writeFileAtomic } from '../../kit/state/atomic-write.js';

/** One port reserved for one service of one project. */
export interface Lease {
  port: number;
  projectDir: string;
  service: string;
  /** ISO 8601 of when it was handed out. */
  leasedAt: string;
}

/** The file's content. */
export interface LeaseFile {
  version: 1;
  leases: Lease[];
}

/** Held for milliseconds; a holder killed with SIGKILL delays the next one by this much. */
export const LEASE_LOCK_STALE_MS = 3_000;

/** Where the leases live. */
export function leaseFilePath(stateRoot: string): string {
  return join(stateRoot, '.ports', 'leases.json');
}

/** Reads the leases; a missing or unreadable file is no leases. */
export function readLeases(file: string): Lease[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const leases = (data as Partial<LeaseFile> | null)?.leases;
  return Array.isArray(leases) ? leases.filter(isLease) : [];
}

/** Runs `change` on the leases under the lock and writes what it returns. */
export async function updateLeases<T>(
  stateRoot: string,
  change: (leases: Lease[]) => Promise<{ leases: Lease[]; result: T }>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const file = leaseFilePath(stateRoot);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const timeoutMs = options.timeoutMs ?? 20_000;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      stale: LEASE_LOCK_STALE_MS,
      retries: { retries: Math.ceil(timeoutMs / 50), factor: 1, minTimeout: 50, maxTimeout: 50 },
      // Losing the lock mid-change can only mean a stall past `stale`; the write below still replaces the file whole.
      onCompromised: () => {},
    });
  } catch (err) {
    throw new DaemonError('LOCK_FAILED', `taking the port lease lock ${file}.lock: ${(err as Error).message}`, { cause: err });
  }
  try {
    const { leases, result } = await change(readLeases(file));
    writeFileAtomic(file, `${JSON.stringify({ version: 1, leases } satisfies LeaseFile, null, 2)}\n`);
    return result;
  } finally {
    await release().catch(() => {});
  }
}

function isLease(value: unknown): value is Lease {
  if (typeof value !== 'object' || value === null) return false;
  const l = value as Record<string, unknown>;
  return Number.isInteger(l.port) && typeof l.projectDir === 'string' && typeof l.service === 'string' && typeof l.leasedAt === 'string';
}
