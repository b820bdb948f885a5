/**
 * Names who holds a port, for messages: the pid and command from /proc, and
 * which tend project and service it is when its process group is one a tend
 * supervisor under the same state root recorded in services.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listeningSnapshot, portListeners, type ListeningSnapshot, type PortHolder } from '../../kit/process/port-holder.js';
import { readProcStat } from '../../kit/process/process-info.js';
import { readRegistry, registryPath } from '../registry.js';

/** A tend service, found by its process group. */
export interface TendService {
  projectDir: string;
  /** Its instance dir under the state root. */
  instanceDir: string;
  service: string;
}

/** A port's holder as tend sees it. */
export interface KnownHolder extends PortHolder {
  /** Set when the holder belongs to a service of a tend project of this user. */
  tend: TendService | null;
}

/** The holders of `port` (empty: free, or nobody we can see), each with its tend service if any. */
export function findHolders(
  port: number,
  stateRoot: string,
  snapshot: ListeningSnapshot | null = listeningSnapshot(),
): { listening: boolean; holders: KnownHolder[] } {
  const found = portListeners(port, snapshot);
  if (found.kind !== 'listening') return { listening: false, holders: [] };
  return { listening: true, holders: found.holders.map((h) => ({ ...h, tend: tendServiceOf(h.pid, stateRoot) })) };
}

/** `pid 123 (python3 -m http.server)` or `service web of project /x (pid 123: node server.js)`. */
export function describeHolder(holder: KnownHolder): string {
  if (holder.tend) return `service ${holder.tend.service} of project ${holder.tend.projectDir} (pid ${holder.pid}: ${holder.command})`;
  return `pid ${holder.pid} (${holder.command})`;
}

/** `port 8080 is in use by …`, naming every holder we can see. */
export function portInUseMessage(port: number, holders: readonly KnownHolder[]): string {
  return `port ${port} is in use by ${describeHolders(holders)}`;
}

/** Every holder we can see, or what is known when we see none. */
export function describeHolders(holders: readonly KnownHolder[]): string {
  if (holders.length === 0) return 'a process of another user, or one tend cannot see';
  return holders.map(describeHolder).join(', ');
}

/** The tend service whose recorded process group holds `pid`, or null. */
export function tendServiceOf(pid: number, stateRoot: string): TendService | null {
  const stat = readProcStat(pid);
  if (stat === null || stat === 'no-proc') return null;
  let dirs: string[];
  try {
    dirs = readdirSync(stateRoot);
  } catch {
    return null;
  }
  for (const name of dirs) {
    const dir = join(stateRoot, name);
    const record = readRegistry(registryPath(dir))?.services.find((r) => r.pgid === stat.pgid);
    if (record) return { projectDir: projectOf(dir) ?? name, instanceDir: dir, service: record.name };
  }
  return null;
}

function projectOf(instanceDir: string): string | null {
  try {
    const meta = JSON.parse(readFileSync(join(instanceDir, 'daemon.json'), 'utf8')) as { projectDir?: unknown };
    return typeof meta.projectDir === 'string' ? meta.projectDir : null;
  } catch {
    return null;
  }
}
