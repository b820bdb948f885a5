// The benchmark's own plumbing: timing (A/B pairs against `node -e 0`) and
// statistics. Sandboxes, process bookkeeping (every process the bench starts
// is recorded with its start time and killed by pid in the end, never by
// name), /proc readers and asking the daemon come from the shared harness
// (test/helpers, through scripts/harness.mjs), under the names the figures use.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { harness } from '../harness.mjs';

const { ProcessTracker, alive: harnessAlive, ask, childrenOf: harnessChildren, createSandbox, procStartTime, rssBytes, statOf, until: harnessUntil } = harness;

/** A port that was free a moment ago. */
export const freePort = harness.freePort;

/** User + system CPU time of a process in clock ticks, or null. */
export const cpuTicks = harness.cpuTicks;

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

/** Everything the bench started, for the final sweep. */
const tracker = new ProcessTracker();

/** Field 22 of /proc/PID/stat (start time in clock ticks), or null when gone (a zombie is dead). */
export const procStart = procStartTime;

/** The parent pid of `pid`, or null. */
export function procPpid(pid) {
  return statOf(pid)?.ppid ?? null;
}

/** True when `pid` is a live process (not a zombie). */
export const alive = harnessAlive;

/** Records a pid (with its start time, so a recycled pid is never signalled); a group leader is killed with its group. */
export function track(pid, what) {
  tracker.track(pid, what);
}

/** SIGKILLs a tracked pid (or its group) if it is still the process we recorded. */
export function killTracked(pid) {
  return tracker.kill(pid);
}

/** Kills every tracked process still alive; returns what it had to kill. */
export function sweep() {
  return tracker.killNow();
}

/** Live children of a pid (direct), from /proc. */
export const childrenOf = harnessChildren;

/** VmRSS of a process in MiB, or null. */
export function rssMiB(pid) {
  const bytes = rssBytes(pid);
  return bytes === null ? null : bytes / 1024 / 1024;
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

/** The harness's sandbox: a temp root with a state dir and a project dir named `name`. */
export function sandbox(name) {
  const sb = createSandbox({ prefix: `tend-bench-${name}-`, projectName: name });
  sandboxes.push(sb);
  return sb;
}

/** Removes every sandbox's dirs (after sweep()); with `keep`, returns their roots instead. */
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

/** The sandbox's instance dir. */
export function instanceDir(sb) {
  return sb.instanceDir;
}

/** The sandbox's daemon.json, parsed; null when missing. */
export function readMeta(sb) {
  return sb.metadata();
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

/**
 * Asks a daemon (from its daemon.json) with the kit's own client; resolves
 * with `data` and `text`, the answer's JSON (what yoga sends, byte for byte:
 * `{"data":…}` without spaces).
 */
export async function graphql(meta, query, timeoutMs = 3000) {
  const data = await ask(meta, query, { timeoutMs });
  return { data, text: JSON.stringify({ data }) };
}

/** The query `tend status` sends (the whole status shape, from the kit's own definition). */
export const STATUS_QUERY = harness.STATUS_QUERY;

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

/** Polls `fn` every `everyMs` until it returns a truthy value or `timeoutMs` passes (the harness's until). */
export function until(fn, { timeoutMs = 10_000, everyMs = 5, what = 'condition' } = {}) {
  return harnessUntil(what, fn, timeoutMs, everyMs);
}

/** Spawns a long-lived helper process, tracked; resolves with its first stdout line parsed as JSON. */
export function spawnHelper(args, { env, cwd, what, group = false } = {}) {
  const child = spawn(NODE, args, { env, cwd, stdio: ['ignore', 'pipe', 'inherit'], detached: group });
  track(child.pid, what ?? args[0]);
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
