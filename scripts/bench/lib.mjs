// Shared plumbing of the benchmark: timing, statistics, sandboxes, process
// bookkeeping (every process the bench starts is recorded with its start time
// and killed by pid in the end, never by name), and a small GraphQL client.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };
export const NODE = process.execPath;
export const BENCH_DIR = new URL('.', import.meta.url).pathname;

// ---------------------------------------------------------------- statistics

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function summary(xs) {
  const v = xs.filter((x) => Number.isFinite(x));
  return { median: median(v), min: v.length ? Math.min(...v) : null, max: v.length ? Math.max(...v) : null, n: v.length };
}

/** Wall-clock milliseconds with sub-ms precision, comparable across processes. */
export function wallMs() {
  return performance.timeOrigin + performance.now();
}

// ---------------------------------------------------------------- processes

/** pid -> { start, group, what }: everything the bench started, for the final sweep. */
const tracked = new Map();

/** Field 22 of /proc/PID/stat (start time in clock ticks), or null when gone. */
export function procStart(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (f[0] === 'Z' || f[0] === 'X') return null; // a zombie is dead
    return f[19];
  } catch {
    return null;
  }
}

export function procPpid(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

export function alive(pid) {
  return pid > 0 && procStart(pid) !== null;
}

/** Records a pid (with its start time, so a recycled pid is never signalled). */
export function track(pid, what, { group = false } = {}) {
  const start = procStart(pid);
  if (pid > 0 && start !== null && !tracked.has(pid)) tracked.set(pid, { start, group, what });
}

/** SIGKILLs a tracked pid (or its group) if it is still the process we recorded. */
export function killTracked(pid) {
  const t = tracked.get(pid);
  if (!t) return false;
  tracked.delete(pid);
  if (procStart(pid) !== t.start) return false;
  try {
    process.kill(t.group ? -pid : pid, 'SIGKILL');
  } catch {
    try { process.kill(pid, 'SIGKILL'); } catch {}
  }
  return true;
}

/** Kills every tracked process still alive; returns what it had to kill. */
export function sweep() {
  const killed = [];
  for (const [pid, t] of [...tracked]) if (killTracked(pid)) killed.push(`${t.what}(${pid})`);
  return killed;
}

/** Children of a pid (direct), from /proc. */
export function childrenOf(ppid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (procPpid(Number(name)) === ppid && procStart(Number(name)) !== null) out.push(Number(name));
  }
  return out;
}

/** VmRSS of a process in MiB, or null. */
export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs a command to completion and times it (hrtime around spawnSync). */
export function timeProc(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 30_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    ms,
    status: r.status,
    signal: r.signal,
    error: r.error ? r.error.message : null,
    stdout: r.stdout ? r.stdout.toString() : '',
    stderr: r.stderr ? r.stderr.toString() : '',
  };
}

export function describeRun(r) {
  if (r.error) return r.error;
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ');
  return `exit ${r.status ?? r.signal}${tail ? `: ${tail.slice(0, 300)}` : ''}`;
}

/** The A of every A/B pair. */
export const nodeE0 = () => timeProc(NODE, ['-e', '0']);

/** `warmup: false` (--quick) skips the untimed first pair. */
export const abDefaults = { warmup: true };

/**
 * Alternates A (the baseline) and B (the command) `runs` times after one
 * untimed warm-up of each, and reports the ratio pair by pair.
 * `b` returns a timeProc result; `ok(result)` says whether it succeeded.
 * `before`/`after` run untimed around each pair.
 */
export async function abRuns({ runs, warmup = abDefaults.warmup, a = nodeE0, b, ok = (r) => r.status === 0, before, after }) {
  const pairs = [];
  const failures = [];
  for (let i = warmup ? -1 : 0; i < runs; i++) {
    if (before) await before(i);
    const ra = a();
    const rb = b();
    if (after) await after(i);
    if (!ok(rb)) {
      failures.push(describeRun(rb));
      if (failures.length >= 3) break;
      continue;
    }
    if (i >= 0) pairs.push({ a: ra.ms, b: rb.ms, ratio: rb.ms / ra.ms });
  }
  if (pairs.length === 0) throw new Error(failures[0] ?? 'no successful run');
  const s = summary(pairs.map((p) => p.b));
  return {
    value: s.median,
    min: s.min,
    max: s.max,
    n: s.n,
    baseline: median(pairs.map((p) => p.a)),
    ratio: median(pairs.map((p) => p.ratio)),
    failures,
    pairs,
  };
}

// ---------------------------------------------------------------- sandboxes

const sandboxes = [];

/** A temp root with a state dir and a project dir of its own. */
export function sandbox(name) {
  const root = mkdtempSync(join(tmpdir(), `tend-bench-${name}-`));
  const stateDir = join(root, 'state');
  const projectDir = join(root, name);
  spawnSync('mkdir', ['-p', stateDir, projectDir]);
  const env = { ...process.env, TEND_STATE_DIR: stateDir, NO_COLOR: '1' };
  delete env.TEND_DIR;
  delete env.NODE_OPTIONS;
  const sb = { root, stateDir, projectDir, env };
  sandboxes.push(sb);
  return sb;
}

export function removeSandboxes(keep) {
  if (keep) return sandboxes.map((s) => s.root);
  for (const s of sandboxes.splice(0)) rmSync(s.root, { recursive: true, force: true });
  return [];
}

// ---------------------------------------------------------------- tend

/** The CLI under test (set once by bench.mjs: a snapshot of dist/). */
export const tendCli = { path: null };

export function tend(sb, args, opts = {}) {
  return timeProc(NODE, [tendCli.path, ...args], { cwd: sb.projectDir, env: sb.env, timeoutMs: opts.timeoutMs });
}

/** The one instance dir under the sandbox's state root. */
export function instanceDir(sb) {
  if (!existsSync(sb.stateDir)) return null;
  const dirs = readdirSync(sb.stateDir).filter((d) => !d.startsWith('.'));
  return dirs.length ? join(sb.stateDir, dirs[0]) : null;
}

export function readMeta(sb) {
  const dir = instanceDir(sb);
  if (!dir) return null;
  try {
    return JSON.parse(readFileSync(join(dir, 'daemon.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** `tend start`, untimed; throws with the reason when it fails. Tracks the daemon. */
export function startTend(sb, extra = []) {
  const r = tend(sb, ['start', ...extra]);
  if (r.status !== 0) throw new Error(`tend start failed: ${describeRun(r)}`);
  const meta = readMeta(sb);
  if (!meta) throw new Error('tend start exited 0 but wrote no daemon.json');
  track(meta.pid, 'tend daemon');
  return meta;
}

/** Untimed stop between runs: SIGTERM by pid, wait until gone (a zombie counts as gone), SIGKILL after 10 s. */
export async function termTend(sb) {
  const meta = readMeta(sb);
  if (!meta || !alive(meta.pid)) return;
  track(meta.pid, 'tend daemon');
  try { process.kill(meta.pid, 'SIGTERM'); } catch {}
  const deadline = Date.now() + 10_000;
  while (alive(meta.pid) && Date.now() < deadline) await sleep(5);
  killTracked(meta.pid);
}

/** Stops the sandbox's daemon: `tend stop --force`, then SIGKILL by pid if still alive. */
export function stopTend(sb) {
  const meta = readMeta(sb);
  const r = tend(sb, ['stop', '--force', '--timeout', '5'], { timeoutMs: 20_000 });
  if (meta && alive(meta.pid)) {
    track(meta.pid, 'tend daemon');
    killTracked(meta.pid);
  }
  return r;
}

/** POSTs a GraphQL query to a daemon (from its daemon.json). */
export function graphql(meta, query, timeoutMs = 3000) {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = request(
      meta.endpoint,
      {
        method: 'POST',
        agent: false,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${meta.token}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          try {
            const j = JSON.parse(text);
            if (j.errors?.length) return reject(new Error(j.errors.map((e) => e.message).join('; ')));
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            resolve({ data: j.data, text });
          } catch {
            reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The query `tend status` sends (the whole status shape). */
export const STATUS_QUERY =
  'query { status { instanceId pid version startedAt uptimeSeconds projectDir logFile foreground requestsServed memory { rss heapUsed heapTotal external } } }';

const SERVICES_QUERY = 'query { services { name state pid ready restarts } }';

/**
 * The daemon's services: GraphQL `Query.services` when the schema has it,
 * else `tend ps --json` (a whole process per call: coarse when polling).
 * Returns { via, services }.
 */
export async function listServices(sb, meta) {
  try {
    const { data } = await graphql(meta, SERVICES_QUERY);
    if (Array.isArray(data?.services)) return { via: 'graphql', services: data.services };
  } catch {}
  const r = tend(sb, ['ps', '--json']);
  if (r.status === 0) {
    try {
      const j = JSON.parse(r.stdout);
      if (Array.isArray(j.services)) return { via: 'ps --json', services: j.services };
    } catch {}
  }
  throw new Error(`no services API (GraphQL services and tend ps --json both failed: ${describeRun(r)})`);
}

/** Polls `fn` every `everyMs` until it returns a truthy value or `timeoutMs` passes. */
export async function until(fn, { timeoutMs = 10_000, everyMs = 5, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Spawns a long-lived helper process, tracked; resolves with its first stdout line parsed as JSON. */
export function spawnHelper(args, { env, cwd, what, group = false } = {}) {
  const child = spawn(NODE, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'], detached: group });
  track(child.pid, what ?? args[0], { group });
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (c) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        child.stdout.off('data', onData);
        try {
          resolve({ child, info: JSON.parse(buf.slice(0, nl)) });
        } catch (e) {
          reject(e);
        }
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code, sig) => reject(new Error(`${what} exited (${code ?? sig}) before it was ready`)));
    child.on('error', reject);
  });
}

/** Runs a node script to completion, collecting stdout; rejects on non-zero exit. */
export function runNode(args, { env, cwd, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child.pid, args[0]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => killTracked(child.pid), timeoutMs);
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${args[0]} exited ${code ?? sig}: ${err.trim().slice(-300)}`));
    });
  });
}
