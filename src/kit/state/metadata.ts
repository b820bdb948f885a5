import { rmSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { readStateFile } from './state-file.js';

/** Bumped when a field changes meaning; readers refuse other versions. */
export const METADATA_SCHEMA = 1;

/** What a running daemon tells other processes about itself (daemon.json). */
export interface Metadata {
  schema: number;
  pid: number;
  /** /proc start time of `pid` (see process-info); null where the OS has no /proc. */
  processStartTime: string | null;
  /** The boot the daemon runs in; state from another boot is stale whatever holds its pid now. */
  bootId: string | null;
  /** Random per start: tells this daemon from a later one with a reused pid. */
  instanceId: string;
  startedAt: string;
  version: string;
  endpoint: string;
  host: string;
  port: number;
  /** Bearer token for the endpoint; the file is 0600 for this reason. */
  token: string;
  projectDir: string;
  logFile: string;
  foreground: boolean;
  /**
   * How long this daemon may take to stop after SIGTERM (its drain plus the
   * tool's stop budget); a plain `stop` waits that long, plus a margin. Null
   * when not published (older daemons).
   */
  stopTimeoutMs: number | null;
}

/** Reading metadata: a missing file is a value, not an exception. */
export type MetadataRead =
  | { kind: 'missing' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'ok'; metadata: Metadata };

const FIELDS: Record<keyof Metadata, 'string' | 'number' | 'boolean' | 'string|null' | 'number|null'> = {
  schema: 'number',
  pid: 'number',
  processStartTime: 'string|null',
  bootId: 'string|null',
  instanceId: 'string',
  startedAt: 'string',
  version: 'string',
  endpoint: 'string',
  host: 'string',
  port: 'number',
  token: 'string',
  projectDir: 'string',
  logFile: 'string',
  foreground: 'boolean',
  stopTimeoutMs: 'number|null',
};

/** The one parser of daemon.json: validates every field, never throws. */
export function parseMetadata(text: string): MetadataRead {
  if (text.trim() === '') return { kind: 'invalid', reason: 'the file is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'invalid', reason: `it is not JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'it is not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  // Written before boot ids were recorded, or by hand: unknown, not invalid.
  if (record.bootId === undefined) record.bootId = null;
  if (record.stopTimeoutMs === undefined) record.stopTimeoutMs = null;
  for (const [key, type] of Object.entries(FIELDS)) {
    const v = record[key];
    const ok = type.endsWith('|null') ? v === null || typeof v === type.slice(0, -5) : typeof v === type;
    if (!ok) return { kind: 'invalid', reason: `field "${key}" is ${v === undefined ? 'missing' : 'not a ' + type}` };
  }
  if (record.schema !== METADATA_SCHEMA) {
    return { kind: 'invalid', reason: `schema ${String(record.schema)} is not ${METADATA_SCHEMA}` };
  }
  const pid = record.pid as number;
  if (!Number.isSafeInteger(pid) || pid <= 1) return { kind: 'invalid', reason: `pid ${pid} is not a daemon pid` };
  const port = record.port as number;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { kind: 'invalid', reason: `port ${port} is out of range` };
  const stop = record.stopTimeoutMs as number | null;
  if (stop !== null && !(stop >= 0 && Number.isFinite(stop))) return { kind: 'invalid', reason: `stopTimeoutMs ${stop} is not a duration` };
  return { kind: 'ok', metadata: record as unknown as Metadata };
}

/**
 * Reads and parses daemon.json, after the trust checks of readStateFile:
 * state another user planted or could change throws UnsafeStateError.
 */
export function readMetadata(file: string): MetadataRead {
  const read = readStateFile(file);
  return read.kind === 'ok' ? parseMetadata(read.text) : read;
}

/** Writes daemon.json atomically with mode 0600. Call only while holding the lock. */
export function writeMetadata(file: string, metadata: Metadata): void {
  writeFileAtomic(file, JSON.stringify(metadata, null, 2) + '\n', 0o600);
}

/** Removes daemon.json; already gone is fine. */
export function removeMetadata(file: string): void {
  // Whatever stands in its place (a directory made by hand included) would
  // make the next atomic rename fail.
  rmSync(file, { recursive: true, force: true });
}
