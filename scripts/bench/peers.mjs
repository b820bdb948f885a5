// `--peers`: the same figures for pm2, forever and eslint_d, installed with
// `npm i --prefix` into a temp dir (reused between runs). Each tool gets its
// own home (PM2_HOME, FOREVER_ROOT) under the figure's sandbox; eslint_d keeps
// its state file next to its bundled eslint, inside the install dir.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NODE, abRuns, alive, childrenOf, describeRun, killTracked, median, procPpid, sandbox, summary, timeProc, track, until, wallMs,
} from './lib.mjs';
import { round, row, settledRss } from './figures.mjs';

export const PEER_PACKAGES = { pm2: 'pm2', forever: 'forever', eslint_d: 'eslint_d' };
export const DEFAULT_PEERS_DIR = join(tmpdir(), 'tend-bench-peers');

function binOf(dir, pkg) {
  const pj = join(dir, 'node_modules', pkg, 'package.json');
  if (!existsSync(pj)) return null;
  const j = JSON.parse(readFileSync(pj, 'utf8'));
  const rel = typeof j.bin === 'string' ? j.bin : j.bin?.[pkg];
  return rel ? join(dir, 'node_modules', pkg, rel) : null;
}

/**
 * Finds (and with install=true, installs what is missing of) the peer tools.
 * Returns { tools: {name: adapter}, errors: {name: message} }.
 */
export function loadPeers({ dir = DEFAULT_PEERS_DIR, install = false, log = () => {} } = {}) {
  const errors = {};
  const missing = Object.values(PEER_PACKAGES).filter((p) => !binOf(dir, p));
  if (install && missing.length) {
    mkdirSync(dir, { recursive: true });
    log(`installing ${missing.join(', ')} into ${dir} …`);
    const r = spawnSync('npm', ['i', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', '--no-save', ...missing], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    if (r.status !== 0) log(`npm i failed: ${(r.stderr || '').toString().trim().slice(-500)}`);
  }
  const tools = {};
  const makers = { pm2: pm2Adapter, forever: foreverAdapter, eslint_d: eslintdAdapter };
  for (const [name, pkg] of Object.entries(PEER_PACKAGES)) {
    const bin = binOf(dir, pkg);
    if (bin) tools[name] = makers[name](bin, dir);
    else errors[name] = `not installed in ${dir}`;
  }
  return { tools, errors };
}

const APP = 'setInterval(() => {}, 1 << 30);\n';

function run(bin, args, sb, env) {
  return timeProc(NODE, [bin, ...args], { cwd: sb.projectDir, env: { ...sb.env, ...env } });
}

// ---------------------------------------------------------------- adapters
// Each: status/start/stop commands (timed), up/down (untimed), daemonPid.

function eslintdAdapter(bin, dir) {
  const stateFile = join(dir, 'node_modules', 'eslint', '.eslint_d');
  const pidOf = () => {
    try {
      return Number(readFileSync(stateFile, 'utf8').split(' ')[2]) || null;
    } catch {
      return null;
    }
  };
  const a = {
    name: 'eslint_d',
    labels: { status: 'eslint_d status', start: 'eslint_d start', stop: 'eslint_d stop' },
    env: () => ({}),
    status: (sb) => run(bin, ['status'], sb),
    start: (sb) => run(bin, ['start'], sb),
    stop: (sb) => run(bin, ['stop'], sb),
    up(sb) {
      const r = run(bin, ['start'], sb);
      const pid = pidOf();
      if (r.status !== 0 || !pid) throw new Error(`eslint_d start: ${describeRun(r)}`);
      track(pid, 'eslint_d');
      return pid;
    },
    down(sb) {
      const pid = pidOf();
      run(bin, ['stop'], sb);
      if (pid && alive(pid)) {
        track(pid, 'eslint_d');
        killTracked(pid);
      }
      if (pid && !alive(pid)) try { unlinkSync(stateFile); } catch {}
    },
    async idleRss() {
      const sb = sandbox('eslint_d-rss');
      try {
        const pid = a.up(sb);
        return await settledRss(pid, async () => run(bin, ['status'], sb));
      } finally {
        a.down(sb);
      }
    },
  };
  return a;
}

function pm2Adapter(bin) {
  const home = (sb) => ({ PM2_HOME: join(sb.root, 'pm2') });
  const pidOf = (sb) => {
    try {
      return Number(readFileSync(join(sb.root, 'pm2', 'pm2.pid'), 'utf8')) || null;
    } catch {
      return null;
    }
  };
  const app = (sb) => {
    const f = join(sb.projectDir, 'app.js');
    if (!existsSync(f)) writeFileSync(f, APP);
    return f;
  };
  const a = {
    name: 'pm2',
    labels: { status: 'pm2 ls', start: 'pm2 start app.js (daemon + 1 app)', stop: 'pm2 kill' },
    status: (sb) => run(bin, ['ls'], sb, home(sb)),
    start: (sb) => run(bin, ['start', app(sb), '--name', 'app'], sb, home(sb)),
    stop: (sb) => run(bin, ['kill'], sb, home(sb)),
    up(sb, withApp = false) {
      const r = withApp ? a.start(sb) : run(bin, ['ping'], sb, home(sb));
      const pid = pidOf(sb);
      if (r.status !== 0 || !pid) throw new Error(`pm2: ${describeRun(r)}`);
      track(pid, 'pm2 daemon');
      for (const k of childrenOf(pid)) track(k, 'pm2 app', { group: false });
      return pid;
    },
    down(sb) {
      const pid = pidOf(sb);
      const kids = pid ? childrenOf(pid) : [];
      for (const k of kids) track(k, 'pm2 app');
      run(bin, ['kill'], sb, home(sb));
      for (const p of [pid, ...kids]) if (p) { track(p, 'pm2'); killTracked(p); }
    },
    async idleRss() {
      const sb = sandbox('pm2-rss');
      try {
        const pid = a.up(sb);
        return await settledRss(pid, async () => a.status(sb));
      } finally {
        a.down(sb);
      }
    },
    /** Daemon RSS with n `sleep 1000` apps. */
    async servicesRss(n) {
      const sb = sandbox(`pm2-svc${n}`);
      const eco = join(sb.projectDir, 'ecosystem.config.cjs');
      const apps = Array.from({ length: n }, (_, i) => ({ name: `s${i}`, script: 'sleep', args: '1000', interpreter: 'none' }));
      writeFileSync(eco, `module.exports = ${JSON.stringify({ apps })};\n`);
      try {
        const r = run(bin, ['start', eco], sb, home(sb));
        const pid = pidOf(sb);
        if (r.status !== 0 || !pid) throw new Error(`pm2 start: ${describeRun(r)}`);
        track(pid, 'pm2 daemon');
        await until(() => childrenOf(pid).length >= n, { timeoutMs: 60_000, everyMs: 50, what: `${n} pm2 apps` });
        for (const k of childrenOf(pid)) track(k, 'pm2 app');
        return await settledRss(pid, async () => a.status(sb));
      } finally {
        a.down(sb);
      }
    },
    /** SIGKILL an app that stamps its start, until the new one stamps. */
    async crashRestart(runs) {
      const sb = sandbox('pm2-crash');
      const stamp = join(sb.root, 'stamp');
      const eco = join(sb.projectDir, 'ecosystem.config.cjs');
      const apps = [{ name: 'c', script: 'sh', args: ['-c', `echo "$$ $(($(date +%s%N)/1000))" >> ${stamp}; exec sleep 1000`], interpreter: 'none' }];
      writeFileSync(eco, `module.exports = ${JSON.stringify({ apps })};\n`);
      try {
        const r = run(bin, ['start', eco], sb, home(sb));
        if (r.status !== 0) throw new Error(`pm2 start: ${describeRun(r)}`);
        track(pidOf(sb), 'pm2 daemon');
        return await crashLoop(stamp, runs);
      } finally {
        a.down(sb);
      }
    },
  };
  return a;
}

function foreverAdapter(bin) {
  const home = (sb) => ({ FOREVER_ROOT: join(sb.root, 'forever') });
  const app = (sb) => {
    const f = join(sb.projectDir, 'app.js');
    if (!existsSync(f)) writeFileSync(f, APP);
    return f;
  };
  /** forever has no central daemon: one monitor per app, the parent of the app's pid. */
  const monitors = (sb) => {
    const dir = join(sb.root, 'forever', 'pids');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pid'))
      .map((f) => Number(readFileSync(join(dir, f), 'utf8')))
      .filter((p) => p > 0 && alive(p))
      .map((p) => ({ app: p, monitor: procPpid(p) }));
  };
  const a = {
    name: 'forever',
    labels: { status: 'forever list (1 app)', start: 'forever start app.js', stop: 'forever stopall (1 app)' },
    status: (sb) => run(bin, ['list'], sb, home(sb)),
    start: (sb) => run(bin, ['start', app(sb)], sb, home(sb)),
    stop: (sb) => run(bin, ['stopall'], sb, home(sb)),
    up(sb) {
      const r = a.start(sb);
      if (r.status !== 0) throw new Error(`forever start: ${describeRun(r)}`);
      return null;
    },
    async monitorPid(sb) {
      const m = await until(() => monitors(sb)[0], { timeoutMs: 10_000, everyMs: 20, what: 'the forever monitor' });
      track(m.monitor, 'forever monitor');
      track(m.app, 'forever app');
      return m.monitor;
    },
    down(sb) {
      const ms = monitors(sb);
      for (const m of ms) { track(m.monitor, 'forever monitor'); track(m.app, 'forever app'); }
      run(bin, ['stopall'], sb, home(sb));
      for (const m of ms) { killTracked(m.monitor); killTracked(m.app); }
    },
    async idleRss() {
      const sb = sandbox('forever-rss');
      try {
        a.up(sb);
        const pid = await a.monitorPid(sb);
        return await settledRss(pid, async () => a.status(sb));
      } finally {
        a.down(sb);
      }
    },
  };
  return a;
}

/** Kills the stamped process `runs` times; returns ms from kill to the next stamp. */
async function crashLoop(stampFile, runs) {
  const read = () =>
    existsSync(stampFile)
      ? readFileSync(stampFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').map(Number))
      : [];
  await until(() => read().length >= 1, { timeoutMs: 15_000, everyMs: 5, what: 'the app to start' });
  const lat = [];
  for (let i = 0; i < runs; i++) {
    const [pid] = read()[i];
    track(pid, 'app');
    const t0 = wallMs();
    process.kill(pid, 'SIGKILL');
    await until(() => read().length >= i + 2, { timeoutMs: 20_000, everyMs: 2, what: 'the restarted app' });
    const tSeen = wallMs();
    const [npid, tUs] = read()[i + 1];
    track(npid, 'app');
    lat.push(tUs / 1000 >= t0 && tUs / 1000 <= tSeen + 5 ? tUs / 1000 - t0 : tSeen - t0);
    await new Promise((r) => setTimeout(r, 200));
  }
  return lat;
}

// ---------------------------------------------------------------- peer figures

/** CLI figures (status with the daemon up, start, stop) for one tool, A/B against node -e 0. */
export async function peerCli(tool, which, ctx) {
  const sb = sandbox(`${tool.name}-${which}`);
  try {
    let r;
    if (which === 'status') {
      tool.up(sb);
      r = await abRuns({ runs: ctx.cliRuns, b: () => tool.status(sb) });
    } else if (which === 'start') {
      r = await abRuns({ runs: ctx.cliRuns, b: () => tool.start(sb), after: () => tool.down(sb) });
    } else {
      r = await abRuns({ runs: ctx.cliRuns, before: () => tool.up(sb, true), b: () => tool.stop(sb), after: () => tool.down(sb) });
    }
    return row({
      id: which, peer: tool.name, label: tool.labels[which], value: r.value, min: r.min, max: r.max, n: r.n,
      baseline: r.baseline, baselineLabel: 'node -e 0', ratio: r.ratio,
      details: { pairs: r.pairs.map((p) => [round(p.a), round(p.b)]), failures: r.failures },
    });
  } finally {
    tool.down(sb);
  }
}

export async function peerRss(tool, ctx) {
  const v = [];
  for (let i = 0; i < ctx.rssRuns; i++) v.push(await tool.idleRss());
  const s = summary(v);
  const label = tool.name === 'forever' ? 'forever monitor (1 app)' : `${tool.name} daemon`;
  return row({ id: 'rss', peer: tool.name, label, unit: 'MiB', value: s.median, min: s.min, max: s.max, n: s.n, details: { values: v } });
}

export async function peerServicesRss(tool, ctx) {
  const per = [];
  const r20 = [];
  const r100 = [];
  for (let i = 0; i < ctx.rssRuns; i++) {
    r20.push(await tool.servicesRss(20));
    r100.push(await tool.servicesRss(100));
    per.push((r100.at(-1) - r20.at(-1)) / 80);
  }
  return [
    row({ id: 'rss-20', peer: tool.name, label: `${tool.name}, 20 apps`, unit: 'MiB', ...pick(summary(r20)) }),
    row({ id: 'rss-100', peer: tool.name, label: `${tool.name}, 100 apps`, unit: 'MiB', ...pick(summary(r100)) }),
    row({ id: 'rss-per-service', peer: tool.name, label: `${tool.name} per extra app`, unit: 'MiB', ...pick(summary(per)) }),
  ];
}

export async function peerCrash(tool, ctx) {
  const lat = await tool.crashRestart(ctx.crashRuns);
  return row({
    id: 'crash-restart', peer: tool.name, label: `${tool.name} crash → restarted`, unit: 'ms', ...pick(summary(lat)),
    details: { samples: lat.map((x) => round(x)), note: 'same app killed repeatedly (200 ms apart)' },
  });
}

const pick = (s) => ({ value: s.median, min: s.min, max: s.max, n: s.n });

/** Every peer figure for every installed tool; failures become error rows. */
export async function runPeers(tools, ctx, only, log) {
  const rows = [];
  const attempt = async (tool, id, fn) => {
    if (only && !only.has(id)) return;
    const t0 = Date.now();
    try {
      const r = await fn();
      rows.push(...(Array.isArray(r) ? r : [r]));
    } catch (e) {
      rows.push(row({ id, peer: tool.name, label: `${tool.name} ${id}`, value: null, error: e.message }));
    }
    log(`  peer ${tool.name} ${id}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  for (const tool of Object.values(tools)) {
    for (const which of ['status', 'start', 'stop']) await attempt(tool, which, () => peerCli(tool, which, ctx));
    await attempt(tool, 'rss', () => peerRss(tool, ctx));
    if (tool.servicesRss) await attempt(tool, 'rss-services', () => peerServicesRss(tool, ctx));
    if (tool.crashRestart) await attempt(tool, 'crash-restart', () => peerCrash(tool, ctx));
  }
  return rows;
}

export { median };
