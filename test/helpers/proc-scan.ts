// Finding processes by what they are, not by name: the ones whose initial
// environment names a sandbox's unique state root (its CLIs, daemons and
// their services), the daemons among them, the pids its state files record,
// those serving a TCP listener, a process's children. Linux /proc only.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { alive, statOf } from './proc.js';

/** What a scan knows of one live process. */
export interface ScannedProcess {
  pid: number;
  /** argv joined by spaces (process.title rewrites it). */
  cmdline: string;
  /** The initial environment, NUL-separated and NUL-framed: `\0K=V\0K=V\0`. */
  environ: string;
}

/** Every live process (zombies excluded, this one too) for which `match` holds. */
export function scanProcesses(match: (p: ScannedProcess) => boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const environ = readText(`/proc/${pid}/environ`);
    if (environ === null) continue;
    const p = { pid, environ: `\0${environ}`, cmdline: (readText(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ') };
    if (match(p) && alive(pid)) out.push(pid);
  }
  return out;
}

/** True when the process was started with `TEND_STATE_DIR=<stateDir>` (or another tool's `variable`). */
export function namesStateDir(p: ScannedProcess, stateDir: string, variable = 'TEND_STATE_DIR'): boolean {
  return p.environ.includes(`\0${variable}=${stateDir}\0`);
}

/** True when the process is in daemon mode: the private marker, the `__daemon` argument, or the title the daemon sets. */
export function isDaemonMode(p: ScannedProcess): boolean {
  return p.environ.includes('\0__TEND_DAEMON=1\0') || p.cmdline.includes('__daemon') || p.cmdline.startsWith('tend daemon');
}

/** Every live process of the sandbox whose state root is `stateDir`: CLIs, daemons and services. */
export function sandboxProcesses(stateDir: string, variable?: string): number[] {
  return scanProcesses((p) => namesStateDir(p, stateDir, variable));
}

/** Live tend daemons of the sandbox whose state root is `stateDir` (racers that lose count while alive). */
export function sandboxDaemons(stateDir: string, variable?: string): number[] {
  return scanProcesses((p) => namesStateDir(p, stateDir, variable) && isDaemonMode(p));
}

/** A pid a state file records; `group` when it leads a service's process group (services.json). */
export interface RecordedPid {
  pid: number;
  group: boolean;
}

/** Pids the state files under `stateDir` record: daemons (daemon.json, the owner record) and service groups (services.json). */
export function recordedPids(stateDir: string): RecordedPid[] {
  const out: RecordedPid[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(stateDir).map((d) => join(stateDir, d));
  } catch {
    return out;
  }
  for (const dir of dirs) {
    for (const f of ['daemon.json', 'daemon.owner.json']) {
      const pid = readJson(join(dir, f))?.pid;
      if (Number.isSafeInteger(pid) && pid > 1) out.push({ pid, group: false });
    }
    const services = readJson(join(dir, 'services.json'));
    const entries: { pid?: number; pgid?: number }[] = Array.isArray(services) ? services : (services?.processes ?? services?.services ?? []);
    for (const e of entries) if (Number.isSafeInteger(e.pgid ?? e.pid)) out.push({ pid: (e.pgid ?? e.pid)!, group: true });
  }
  return out;
}

/** Of the given pids, those holding a listening TCP socket (a serving daemon). */
export function listeningPids(pids: number[]): number[] {
  if (pids.length === 0) return [];
  const listen = listeningInodes();
  return pids.filter((pid) => socketInodes(pid).some((ino) => listen.has(ino)));
}

/** Live direct children of `ppid`. */
export function childrenOf(ppid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => statOf(pid)?.ppid === ppid && alive(pid));
}

function listeningInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (readText(f) ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A') inodes.add(cols[9]!); // 0A = LISTEN
    }
  }
  return inodes;
}

function socketInodes(pid: number): string[] {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      return m ? [m[1]!] : [];
    } catch {
      return []; // closed meanwhile
    }
  });
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return null;
  }
}

function readJson(file: string): any {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null; // missing, or caught mid-rename
  }
}
