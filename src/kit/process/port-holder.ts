/**
 * Who listens on a TCP port, from /proc: the socket inodes in LISTEN state on
 * that port (/proc/net/tcp and tcp6), matched against every process's open
 * descriptors (/proc/PID/fd -> `socket:[INODE]`). Linux only; elsewhere, and
 * for other users' processes, the holder is unknown.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process holding a listening socket. */
export interface PortHolder {
  pid: number;
  /** Its command line, spaces between arguments, shortened. */
  command: string;
}

/** What /proc tells about a port. */
export type PortListeners =
  | { kind: 'free' }
  | { kind: 'listening'; holders: PortHolder[] }
  | { kind: 'unknown' };

const LISTEN = '0A';
const COMMAND_MAX = 120;

/** Listening TCP sockets by port: the inodes of each; null without /proc/net. */
export type ListeningSnapshot = ReadonlyMap<number, ReadonlySet<string>>;

/**
 * Every listening TCP socket (any address, IPv4 or IPv6) by port. One read of
 * /proc/net/tcp{,6} can take milliseconds, so callers checking many ports
 * take one snapshot and look ports up in it.
 */
export function listeningSnapshot(): ListeningSnapshot | null {
  const byPort = new Map<number, Set<string>>();
  let readable = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue; // tcp6 is missing when IPv6 is off
    }
    readable = true;
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== LISTEN) continue;
      const local = f[1]!;
      const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
      let inodes = byPort.get(port);
      if (!inodes) byPort.set(port, (inodes = new Set()));
      inodes.add(f[9]!);
    }
  }
  return readable ? byPort : null;
}

/**
 * Who listens on `port`: free, the processes holding it (possibly none we may
 * see), or unknown; from `snapshot` when given, else from a fresh read.
 */
export function portListeners(port: number, snapshot: ListeningSnapshot | null = listeningSnapshot()): PortListeners {
  if (snapshot === null) return { kind: 'unknown' };
  const inodes = snapshot.get(port);
  if (!inodes || inodes.size === 0) return { kind: 'free' };
  return { kind: 'listening', holders: holdersOf(inodes) };
}

function holdersOf(inodes: ReadonlySet<string>): PortHolder[] {
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  const holders: PortHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return holders;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) {
        holders.push({ pid: Number(pid), command: commandOf(Number(pid)) });
        break;
      }
    }
  }
  return holders;
}

/** `/proc/PID/cmdline` as one line, shortened; `?` when unreadable. */
export function commandOf(pid: number): string {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    return text.length > COMMAND_MAX ? `${text.slice(0, COMMAND_MAX - 1)}…` : text || '?';
  } catch {
    return '?';
  }
}
