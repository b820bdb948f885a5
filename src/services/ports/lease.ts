/**
 * Port leases: `port: auto` (and a Procfile number that is taken) becomes a
 * port reserved for this project's service in the state root's lease file.
 * A lease is kept across restarts of the service, the daemon and the machine
 * while its port is free or held by that very service; a stranger on it
 * moves the lease (and the move is logged). A new lease is never a port
 * leased to another project, nor one anybody holds (checked by binding).
 */
import { existsSync } from 'node:fs';
import { DaemonError } from '../../kit/errors.js';
import { listeningSnapshot, type ListeningSnapshot } from '../../kit/process/port-holder.js';
import type { PortRequest } from '../types.js';
import { canBind } from './can-bind.js';
import { describeHolders, findHolders } from './holder.js';
import { updateLeases, type Lease } from './lease-file.js';
import { preferredPort, type PortRange } from './range.js';

/** Where and how leases are handed out. */
export interface LeaseOptions {
  stateRoot: string;
  /** The project (realpath) and its instance dir, to tell its own services from strangers. */
  projectDir: string;
  instanceDir: string;
  range: PortRange;
  /** Where lease moves are reported (the daemon log). */
  log?: (line: string) => void;
  lockTimeoutMs?: number;
}

type PortCheck = { kind: 'free' } | { kind: 'ours' } | { kind: 'taken'; by: string };

/** Assigns a port to every request: fixed ones as given, the others from leases (kept, moved or new). */
export async function leasePorts(requests: readonly PortRequest[], options: LeaseOptions): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  const fixed = new Set<number>();
  for (const r of requests) {
    if (r.kind === 'fixed') {
      ports.set(r.service, r.port);
      fixed.add(r.port);
    }
  }
  const leased = requests.filter((r) => r.kind !== 'fixed');
  const wanted = new Set(leased.map((r) => r.service));
  const mine = (l: Lease) => l.projectDir === options.projectDir;
  // One read of who listens, for every check of this call; binding still checks each port.
  const snapshot = listeningSnapshot();
  const check = (port: number, service: string) => checkPort(port, service, options, snapshot);
  await updateLeases(
    options.stateRoot,
    async (all) => {
      // A project whose dir is gone frees its leases; so do services this project no longer has.
      const kept = all.filter((l) => (mine(l) ? wanted.has(l.service) : existsSync(l.projectDir)));
      const others = new Set(kept.filter((l) => !mine(l)).map((l) => l.port));
      const next = kept.filter((l) => !mine(l));
      const used = new Set<number>([...others, ...fixed]);
      for (const request of leased) {
        const old = kept.find((l) => mine(l) && l.service === request.service);
        let port: number | null = null;
        let takenBy = 'leased to another project';
        if (old && !used.has(old.port)) {
          const status = await check(old.port, request.service);
          if (status.kind !== 'taken') port = old.port;
          else takenBy = `in use by ${status.by}`;
        }
        port ??= await newPort(request, used, options.range, options.projectDir, check);
        if (old && old.port !== port) options.log?.(`service ${request.service}: its leased port ${old.port} is ${takenBy}; lease moved to ${port}`);
        used.add(port);
        ports.set(request.service, port);
        next.push(old && old.port === port ? old : { port, projectDir: options.projectDir, service: request.service, leasedAt: new Date().toISOString() });
      }
      return { leases: next, result: undefined };
    },
    { timeoutMs: options.lockTimeoutMs },
  );
  return ports;
}

// The preferred number first (a Procfile's 5000, 5100…), then the range from the service's own starting point.
async function newPort(
  request: PortRequest,
  used: ReadonlySet<number>,
  range: PortRange,
  projectDir: string,
  check: (port: number, service: string) => Promise<PortCheck>,
): Promise<number> {
  const { low, high } = range;
  const size = high - low + 1;
  const start = preferredPort(projectDir, request.service, range);
  const candidates = function* () {
    if (request.kind === 'preferred') yield request.port;
    for (let i = 0; i < size; i++) yield low + ((start - low + i) % size);
  };
  for (const port of candidates()) {
    if (used.has(port)) continue;
    if ((await check(port, request.service)).kind === 'free') return port;
  }
  throw new DaemonError('PORTS_EXHAUSTED', `no free port left for service ${request.service} in ${low}-${high}; set TEND_PORT_RANGE=LOW-HIGH to a wider range`);
}

// Free, held by this project's own service of that name (a running or orphaned
// process of it: keep the lease), or taken by someone else.
async function checkPort(port: number, service: string, options: LeaseOptions, snapshot: ListeningSnapshot | null): Promise<PortCheck> {
  const { listening, holders } = findHolders(port, options.stateRoot, snapshot);
  if (listening) {
    if (holders.length > 0 && holders.every((h) => h.tend?.instanceDir === options.instanceDir && h.tend.service === service)) return { kind: 'ours' };
    return { kind: 'taken', by: describeHolders(holders) };
  }
  return (await canBind(port)) ? { kind: 'free' } : { kind: 'taken', by: 'a socket that is bound but not listening' };
}
