// Reading /proc: which processes are alive, which are this run's daemons,
// which of them serve a TCP listener, and what they hold (RSS, fds).
// Linux only; every reader tolerates a process vanishing under it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The one-letter state of /proc/PID/stat, or null when the pid does not exist. */
export function procState(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or null. */
export function procStartTime(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Alive = exists and is not a zombie (Z) or dead (X): zombies linger here for seconds. */
export function alive(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const s = procState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
}

/** Waits until `pid` is gone; true if it went within `timeoutMs`. */
export async function waitGone(pid, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return !alive(pid);
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readEnv(pid) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
}

function readCmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Live daemon processes of the run whose state root is `stateDir`: their
 * initial environment holds `TEND_STATE_DIR=<stateDir>` and they are in daemon
 * mode (the private marker, the `__daemon` argument, or the process title the
 * daemon sets, which overwrites its cmdline). Losing racers count while alive.
 */
export function scanDaemons(stateDir) {
  const want = `TEND_STATE_DIR=${stateDir}\0`;
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const env = readEnv(pid);
    if (env === null || !('\0' + env).includes('\0' + want)) continue;
    const cmd = readCmdline(pid);
    const daemon = ('\0' + env).includes('\0__TEND_DAEMON=1\0') || cmd.includes('__daemon') || cmd.startsWith('tend daemon');
    if (daemon && alive(pid)) out.push(pid);
  }
  return out;
}

/** Every live process whose initial environment names `stateDir`: the run's CLIs, daemons and their services. */
export function scanRunProcesses(stateDir) {
  const want = `\0TEND_STATE_DIR=${stateDir}\0`;
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const env = readEnv(Number(name));
    if (env !== null && ('\0' + env).includes(want) && alive(Number(name))) out.push(Number(name));
  }
  return out;
}

function listeningInodes() {
  const inodes = new Set();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(f, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A') inodes.add(cols[9]); // 0A = LISTEN
    }
  }
  return inodes;
}

/** Socket inodes `pid` holds open. */
function socketInodes(pid) {
  const out = [];
  let fds = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.push(m[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  return out;
}

/** Of the given pids, those holding a listening TCP socket (a serving daemon). */
export function listeningPids(pids) {
  if (pids.length === 0) return [];
  const listen = listeningInodes();
  return pids.filter((pid) => socketInodes(pid).some((ino) => listen.has(ino)));
}

/** Resident set size of `pid` in bytes (VmRSS), or null. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Number of open fds of `pid`, or null. */
export function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** User + system CPU time of `pid` in clock ticks (fields 14 and 15 of /proc/PID/stat; 100 a second here), or null. */
export function cpuTicks(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null;
  }
}
