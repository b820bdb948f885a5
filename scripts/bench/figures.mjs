// tend's figures, one function each. Every function uses its own sandbox
// (TEND_STATE_DIR + project dir, port 0) and stops what it started in
// `finally`. Each returns rows: { id, label, unit, value, baseline,
// baselineLabel, ratio, min, max, n, target, met, details }.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  BENCH_DIR, NODE, STATUS_QUERY, abRuns, cpuTicks, alive, childrenOf, graphql, instanceDir, killTracked, listServices, median,
  freePort, readMeta, rssMiB, termTend, runNode, sandbox, sleep, spawnHelper, startTend, stopTend, summary, tend, track, until, wallMs,
} from './lib.mjs';
import { figWatchCost, figWatchLatency } from './watch.mjs';
import { figStopServices } from './stop-services.mjs';

import { figLogRead } from './log-read.mjs';

const MiB = 1024 * 1024;

/** A target on the ratio (or value): { text, test }. */
const atMost = (x, suffix = '×') => ({ text: `≤ ${x}${suffix}`, test: (v) => v <= x });
const atLeast = (x, suffix = '×') => ({ text: `≥ ${x}${suffix}`, test: (v) => v >= x });

export function row(o) {
  const r = { unit: 'ms', baseline: null, baselineLabel: null, ratio: null, min: null, max: null, n: null, details: {}, ...o };
  const target = o.target;
  r.target = target?.text ?? null;
  const subject = o.targetOn === 'value' ? r.value : r.ratio;
  r.met = target && subject != null ? target.test(subject) : null;
  delete r.targetOn;
  return r;
}

function cliRow(id, label, r, target) {
  return row({
    id, label, unit: 'ms', value: r.value, min: r.min, max: r.max, n: r.n,
    baseline: r.baseline, baselineLabel: 'node -e 0', ratio: r.ratio, target,
    details: { pairs: r.pairs.map((p) => [round(p.a), round(p.b)]), failures: r.failures },
  });
}

export const round = (x, d = 2) => (x == null ? x : Math.round(x * 10 ** d) / 10 ** d);

// ---------------------------------------------------------------- CLI figures

export async function figStatus(ctx) {
  const sb = sandbox('status');
  try {
    startTend(sb);
    const r = await abRuns({ runs: ctx.cliRuns, b: () => tend(sb, ['status']) });
    return [cliRow('status', 'tend status (daemon up)', r, atMost(1.2))];
  } finally {
    stopTend(sb);
  }
}

export async function figStart(ctx) {
  const sb = sandbox('start');
  try {
    const r = await abRuns({
      runs: ctx.cliRuns,
      b: () => tend(sb, ['start']),
      ok: (x) => x.status === 0 && !/already/i.test(x.stdout),
      after: () => termTend(sb),
    });
    return [cliRow('start', 'tend start (to ready)', r, atMost(3.0))];
  } finally {
    stopTend(sb);
  }
}

export async function figStop(ctx) {
  const sb = sandbox('stop');
  let pid = null;
  try {
    const r = await abRuns({
      runs: ctx.cliRuns,
      before: () => (pid = startTend(sb).pid),
      b: () => tend(sb, ['stop']),
      ok: (x) => x.status === 0 && !alive(pid),
      after: () => killTracked(pid),
    });
    return [cliRow('stop', 'tend stop', r, atMost(1.3))];
  } finally {
    stopTend(sb);
  }
}

export async function figRestart(ctx) {
  const sb = sandbox('restart');
  try {
    startTend(sb);
    const r = await abRuns({
      runs: ctx.cliRuns,
      b: () => tend(sb, ['restart']),
      after: () => {
        const meta = readMeta(sb);
        if (meta) track(meta.pid, 'tend daemon');
      },
    });
    return [cliRow('restart', 'tend restart', r, null)];
  } finally {
    stopTend(sb);
  }
}

export async function figHelp(ctx) {
  const sb = sandbox('help');
  const r = await abRuns({ runs: ctx.cliRuns, b: () => tend(sb, ['--help']) });
  return [cliRow('help', 'tend --help', r, null)];
}

// ---------------------------------------------------------------- status query under load

// What `query` measures: the steady-state throughput of one long-lived daemon
// answering `tend status`'s whole query (token checked, live status built,
// JSON out), against a bare node:http server doing that same work with no
// framework (bare-server.mjs), its answer padded to the same byte length.
// Both are warmed up first (a daemon's JIT takes thousands of requests to
// settle), then measured alternately (bare, tend, bare, tend…) by the same
// raw-socket load generator (loadgen.mjs) over the same connections; the
// ratio is the median of the pairs' ratios. Each server's CPU time per
// request (from /proc) is reported too: on a shared 2-core machine it is the
// steadier figure, and the load generator's own CPU use says whether a run
// measured the client instead of the server.
export async function figQuery(ctx) {
  const sb = sandbox('query');
  let bare = null;
  try {
    const meta = startTend(sb);
    const sample = await graphql(meta, STATUS_QUERY);
    bare = await spawnBare(sample.data.status, Buffer.byteLength(sample.text));
    const servers = {
      tend: { pid: meta.pid, url: meta.endpoint, token: meta.token },
      bare: { pid: bare.pid, url: `http://127.0.0.1:${bare.port}/graphql`, token: 'bench' },
    };
    // Server CPU per request, in µs: clock ticks are 10 ms (100 a second).
    const gen = (s, durationMs, warmupMs = 200, warmupRequests = 0) => {
      const cpu0 = cpuTicks(s.pid);
      return runLoadgen({
        url: s.url,
        headers: { authorization: `Bearer ${s.token}`, accept: 'application/json' },
        body: JSON.stringify({ query: STATUS_QUERY }),
        connections: ctx.connections,
        durationMs,
        warmupMs,
        warmupRequests,
      }).then((r) => ({ ...r, serverCpuUs: r.completed ? ((cpuTicks(s.pid) - cpu0) * 10_000) / r.completed : null }));
    };
    const runs = ctx.quick ? ctx.loadRuns : Math.max(5, ctx.loadRuns);
    const durationMs = ctx.quick ? ctx.loadMs : 3000;
    // Warm-up, not measured: 20,000 answers (or 30 s), then one short run.
    for (const s of [servers.bare, servers.tend]) await gen(s, 200, ctx.quick ? 5_000 : 30_000, ctx.quick ? 5_000 : 20_000);
    const pairs = [];
    for (let i = 0; i < runs; i++) {
      const a = await gen(servers.bare, durationMs);
      const b = await gen(servers.tend, durationMs);
      if (!b.requests) throw new Error(`no successful status query: ${b.firstError}`);
      if (!a.requests) throw new Error(`bare server answered nothing: ${a.firstError}`);
      pairs.push({ a, b });
    }
    const pick = (k) => ({ a: pairs.map((p) => p.a[k]), b: pairs.map((p) => p.b[k]), r: pairs.map((p) => p.b[k] / p.a[k]) });
    const details = {
      measures: 'steady-state req/s of one daemon answering the whole status query, vs a bare node:http server doing the same work; same loadgen, connections and body size, alternated',
      connections: ctx.connections,
      durationMs,
      responseBytes: { tend: pairs[0].b.bodyBytes, bare: pairs[0].a.bodyBytes },
      loadgenCpu: { tend: median(pick('cpu').b), bare: median(pick('cpu').a) },
      errors: { tend: pairs.reduce((s, p) => s + p.b.errors, 0), bare: pairs.reduce((s, p) => s + p.a.errors, 0) },
      runs: pairs.map((p) => ({ bare: p.a, tend: p.b })),
    };
    const mk = (id, label, k, unit, target, d = 0) => {
      const v = pick(k);
      const s = summary(v.b);
      return row({
        id, label, unit, value: s.median, min: s.min, max: s.max, n: s.n,
        baseline: median(v.a), baselineLabel: 'bare node:http', ratio: median(v.r), target, details: d ? details : {},
      });
    };
    return [
      mk('query-rps', `status query throughput (${ctx.connections} conns)`, 'rps', 'req/s', atLeast(0.6), 1),
      mk('query-p50', 'status query latency p50', 'p50', 'ms', null),
      mk('query-p99', 'status query latency p99', 'p99', 'ms', null),
      mk('query-cpu', 'status query: server CPU per request', 'serverCpuUs', 'µs', null),
    ];
  } finally {
    if (bare) killTracked(bare.pid);
    stopTend(sb);
  }
}

async function spawnBare(sample, bytes) {
  const { child, info } = await spawnHelper([join(BENCH_DIR, 'bare-server.mjs')], {
    env: { ...process.env, BENCH_TOKEN: 'bench', BENCH_SAMPLE: JSON.stringify(sample), BENCH_BYTES: String(bytes) },
    what: 'bare node:http server',
  });
  child.stdout.resume();
  return { pid: child.pid, port: info.port };
}

async function runLoadgen(opts) {
  const out = await runNode([join(BENCH_DIR, 'loadgen.mjs'), JSON.stringify(opts)], { timeoutMs: opts.durationMs + opts.warmupMs + 30_000 });
  return JSON.parse(out.trim().split('\n').pop());
}

// ---------------------------------------------------------------- memory

/** Settles a daemon (a few status queries, then 1 s) and reads its VmRSS. */
export async function settledRss(pid, poke) {
  for (let i = 0; i < 5; i++) await poke();
  await sleep(1000);
  const rss = rssMiB(pid);
  if (rss == null) throw new Error(`pid ${pid} is gone`);
  return rss;
}

async function tendIdleRss(sb) {
  const meta = startTend(sb);
  try {
    return await settledRss(meta.pid, () => graphql(meta, STATUS_QUERY));
  } finally {
    stopTend(sb);
  }
}

export async function figRss(ctx) {
  const sb = sandbox('rss');
  const eslintd = ctx.peerTools?.eslint_d;
  const tendV = [];
  const peerV = [];
  const ratios = [];
  let peerError = null;
  for (let i = 0; i < ctx.rssRuns; i++) {
    if (eslintd && !peerError) {
      try {
        peerV.push(await eslintd.idleRss());
      } catch (e) {
        peerError = e.message;
      }
    }
    tendV.push(await tendIdleRss(sb));
    if (peerV.length === tendV.length) ratios.push(tendV.at(-1) / peerV.at(-1));
  }
  const s = summary(tendV);
  const haveBase = peerV.length > 0 && !peerError;
  return [
    row({
      id: 'rss', label: 'idle daemon RSS', unit: 'MiB', value: s.median, min: s.min, max: s.max, n: s.n,
      baseline: haveBase ? median(peerV) : null, baselineLabel: 'eslint_d daemon',
      ratio: haveBase ? median(ratios) : null, target: atMost(50, ' MiB'), targetOn: 'value',
      details: {
        tend: tendV, eslint_d: peerV,
        note: haveBase ? undefined : peerError ? `eslint_d: ${peerError}` : 'eslint_d not installed: run with --peers',
      },
    }),
  ];
}

function servicesYaml(entries) {
  return `services:\n${entries.map(([name, body]) => `  ${name}:\n${body.replace(/^/gm, '    ')}`).join('\n')}\n`;
}

/** Starts a daemon with N `sleep 1000` services, waits for N children, reads its RSS. */
async function tendServicesRss(n) {
  const sb = sandbox(`svc${n}`);
  const sleepBin = ['sleep', '1000'];
  writeFileSync(
    join(sb.projectDir, 'tend.yaml'),
    servicesYaml(Array.from({ length: n }, (_, i) => [`s${String(i).padStart(3, '0')}`, `command: ${JSON.stringify(sleepBin)}`])),
  );
  try {
    const meta = startTend(sb);
    let seen = 0;
    try {
      const t0 = Date.now();
      await until(
        () => {
          const kids = childrenOf(meta.pid);
          for (const k of kids) track(k, 'service', { group: true });
          seen = kids.length;
          if (seen === 0 && Date.now() - t0 > 5000) throw new Error('none');
          return seen >= n;
        },
        { timeoutMs: 30_000, everyMs: 50, what: `${n} service processes` },
      );
    } catch {
      throw new Error(`the daemon started ${seen}/${n} service processes (services not wired in yet?)`);
    }
    return await settledRss(meta.pid, () => graphql(meta, STATUS_QUERY));
  } finally {
    stopTend(sb);
  }
}

export async function figServicesRss(ctx) {
  const r1 = [];
  const r20 = [];
  const r100 = [];
  const per = [];
  for (let i = 0; i < ctx.rssRuns; i++) {
    r1.push(await tendServicesRss(1));
    r20.push(await tendServicesRss(20));
    r100.push(await tendServicesRss(100));
    per.push((r100.at(-1) - r20.at(-1)) / 80);
  }
  const mk = (id, label, v, target) => {
    const s = summary(v);
    return row({ id, label, unit: 'MiB', value: s.median, min: s.min, max: s.max, n: s.n, target, targetOn: 'value', details: { values: v } });
  };
  return [
    mk('rss-1', 'daemon RSS, 1 service', r1, null),
    mk('rss-20', 'daemon RSS, 20 services', r20, null),
    mk('rss-100', 'daemon RSS, 100 services', r100, null),
    mk('rss-per-service', 'RSS per extra service ((100−20)/80)', per, atMost(1, ' MiB')),
  ];
}

// ---------------------------------------------------------------- crashes

/** Reads "pid wallMs" lines of a stamp file. */
function stamps(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [pid, t] = l.split(' ');
      return { pid: Number(pid), t: Number(t) };
    });
}

async function waitStamps(files, count, timeoutMs, what) {
  try {
    const t0 = Date.now();
    await until(() => {
      const got = files.filter((f) => stamps(f).length >= count).length;
      if (got === 0 && Date.now() - t0 > 5000) throw new Error('none');
      return got === files.length;
    }, { timeoutMs, everyMs: 2, what });
  } catch (e) {
    const got = files.filter((f) => stamps(f).length >= count).length;
    throw new Error(`${got}/${files.length} ${what} (services not wired in yet?)`);
  }
}

export async function figCrashRestart(ctx) {
  const sb = sandbox('crash');
  const n = ctx.crashRuns;
  const stampDir = join(sb.root, 'stamps');
  const files = Array.from({ length: n }, (_, i) => join(stampDir, `c${i}`));
  // sh records its pid (which `exec` keeps) and the time in ms, then becomes `sleep`.
  const cmd = (f) => ['sh', '-c', `echo "$$ $(($(date +%s%N)/1000))" >> ${f}; exec sleep 1000`];
  writeFileSync(
    join(sb.projectDir, 'tend.yaml'),
    servicesYaml(files.map((f, i) => [`c${i}`, `command: ${JSON.stringify(cmd(f))}\nrestart: always`])),
  );
  mkdirSync(stampDir, { recursive: true });
  try {
    startTend(sb);
    await waitStamps(files, 1, 15_000, 'services started');
    const lat = [];
    for (const f of files) {
      const { pid } = stamps(f)[0];
      track(pid, 'service');
      const t0 = wallMs();
      process.kill(pid, 'SIGKILL');
      await until(() => stamps(f).length >= 2, { timeoutMs: 20_000, everyMs: 2, what: 'the restarted process' });
      const tSeen = wallMs();
      const next = stamps(f)[1];
      track(next.pid, 'service');
      // `date` in µs: trust it when it falls between the kill and when we saw it.
      lat.push(next.t / 1000 >= t0 && next.t / 1000 <= tSeen + 5 ? next.t / 1000 - t0 : tSeen - t0);
    }
    const s = summary(lat);
    return [
      row({
        id: 'crash-restart', label: 'crash → restarted (SIGKILL, restart: always)', unit: 'ms',
        value: s.median, min: s.min, max: s.max, n: s.n,
        details: { samples: lat.map((x) => round(x)), note: 'one crash per service (first backoff step); includes the policy delay' },
      }),
    ];
  } finally {
    stopTend(sb);
  }
}

export async function figCrashReady(ctx) {
  const sb = sandbox('ready');
  const n = ctx.crashRuns;
  const stampDir = join(sb.root, 'stamps');
  mkdirSync(stampDir, { recursive: true });
  const svc = [];
  for (let i = 0; i < n; i++) svc.push({ name: `h${i}`, port: await freePort(), stamp: join(stampDir, `h${i}`) });
  const interval = '100ms';
  writeFileSync(
    join(sb.projectDir, 'tend.yaml'),
    servicesYaml(
      svc.map((s) => [
        s.name,
        `command: ${JSON.stringify([NODE, join(BENCH_DIR, 'http-service.mjs'), String(s.port), s.stamp])}\n` +
          `restart: always\nready:\n  http: http://127.0.0.1:${s.port}/health\n  interval: ${interval}`,
      ]),
    ),
  );
  try {
    const meta = startTend(sb);
    await waitStamps(svc.map((s) => s.stamp), 1, 15_000, 'services started');
    let via = null;
    const byName = async () => {
      const r = await listServices(sb, meta);
      via = r.via;
      return new Map(r.services.map((x) => [x.name, x]));
    };
    await until(async () => {
      const m = await byName();
      return svc.every((s) => m.get(s.name)?.ready);
    }, { timeoutMs: 20_000, everyMs: 20, what: 'every http service ready' });
    const toReady = [];
    const toRestart = [];
    for (const s of svc) {
      const { pid } = stamps(s.stamp)[0];
      track(pid, 'service');
      const t0 = wallMs();
      process.kill(pid, 'SIGKILL');
      // Wait until the API shows the crash (so a stale "ready" is not taken), then the new ready.
      await until(async () => {
        const x = (await byName()).get(s.name);
        return x && x.pid !== pid && x.ready;
      }, { timeoutMs: 20_000, everyMs: via === 'graphql' ? 5 : 0, what: `${s.name} ready again` });
      toReady.push(wallMs() - t0);
      const next = stamps(s.stamp)[1];
      if (next) {
        track(next.pid, 'service');
        toRestart.push(next.t - t0);
      }
    }
    const s = summary(toReady);
    return [
      row({
        id: 'crash-ready', label: `crash → ready again (http probe, interval ${interval})`, unit: 'ms',
        value: s.median, min: s.min, max: s.max, n: s.n,
        details: {
          samples: toReady.map((x) => round(x)),
          processStartedAfterMs: toRestart.map((x) => round(x)),
          observedVia: via,
          note: via === 'graphql' ? 'polled Query.services every 5 ms' : 'polled `tend ps --json` (coarse: one process per poll)',
        },
      }),
    ];
  } finally {
    stopTend(sb);
  }
}

// ---------------------------------------------------------------- log capture

const LINE_LEN = 100;

function tailHasEnd(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
    const size = statSync(file).size;
    const buf = Buffer.alloc(Math.min(64, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString().includes('END ');
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Counts the numbered lines across a log and its rotated files. */
function countLines(files, lines) {
  const seen = new Uint8Array(lines);
  let dups = 0;
  let unique = 0;
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    const re = /L(\d{8}) x/g;
    let m;
    while ((m = re.exec(text))) {
      const i = Number(m[1]);
      if (i >= lines) continue;
      if (seen[i]) dups++;
      else {
        seen[i] = 1;
        unique++;
      }
    }
  }
  return { lost: lines - unique, dups };
}

/** Spawns the writer (which waits for the go file), releases it, waits for END in `file`. */
async function timedWrite({ lines, stamp, go, file, releaseAfter }) {
  await releaseAfter?.();
  writeFileSync(go, '');
  await until(() => tailHasEnd(file), { timeoutMs: 120_000, everyMs: 2, what: `all lines in ${file}` });
  const tDone = wallMs();
  const t0 = Number(readFileSync(stamp, 'utf8'));
  const bytes = lines * LINE_LEN + `END ${lines}\n`.length;
  return { ms: tDone - t0, mbps: bytes / MiB / ((tDone - t0) / 1000), bytes };
}

export async function figLogs(ctx) {
  const lines = Math.round((ctx.logMiB * MiB) / LINE_LEN);
  const writer = join(BENCH_DIR, 'writer.mjs');
  const pairs = [];
  let lossInfo = [];
  for (let i = 0; i < ctx.logRuns; i++) {
    // A: the same bytes straight to a file (stdout redirected to it).
    {
      const sb = sandbox('logfile');
      const out = join(sb.root, 'direct.log');
      const stamp = join(sb.root, 'stamp');
      const go = join(sb.root, 'go');
      const fd = openSync(out, 'a');
      const child = spawn(NODE, [writer, String(lines), String(LINE_LEN), stamp, go], { stdio: ['ignore', fd, 'inherit'] });
      closeSync(fd);
      track(child.pid, 'writer');
      try {
        pairs[i] = { a: await timedWrite({ lines, stamp, go, file: out }) };
      } finally {
        killTracked(child.pid);
      }
    }
    // A2 (reference only): the writer's stdout through a pipe into a bare Node relay that appends to a file.
    {
      const sb = sandbox('logrelay');
      const out = join(sb.root, 'relay.log');
      const stamp = join(sb.root, 'stamp');
      const go = join(sb.root, 'go');
      const q = (x) => `'${x.replace(/'/g, `'\\''`)}'`;
      const sh = `${q(NODE)} ${q(writer)} ${lines} ${LINE_LEN} ${q(stamp)} ${q(go)} | ${q(NODE)} ${q(join(BENCH_DIR, 'relay.mjs'))} ${q(out)}`;
      const child = spawn('sh', ['-c', sh], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
      track(child.pid, 'relay pipeline', { group: true });
      try {
        await until(() => existsSync(`${stamp}.up`), { timeoutMs: 10_000, what: 'the writer' });
        pairs[i].relay = await timedWrite({ lines, stamp, go, file: out });
      } finally {
        killTracked(child.pid);
      }
    }
    // B: the same writer as a tend service; its log file is services/flood.log.
    {
      const sb = sandbox('logs');
      const stamp = join(sb.root, 'stamp');
      const go = join(sb.root, 'go');
      writeFileSync(
        join(sb.projectDir, 'tend.yaml'),
        servicesYaml([['flood', `command: ${JSON.stringify([NODE, writer, String(lines), String(LINE_LEN), stamp, go])}\nrestart: "no"`]]),
      );
      try {
        startTend(sb);
        const dir = join(instanceDir(sb), 'services');
        await until(() => existsSync(`${stamp}.up`), { timeoutMs: 5_000, what: 'the writer service to start' }).catch(() => {
          throw new Error('the writer service never started (services not wired in yet?)');
        });
        const file = join(dir, 'flood.log');
        const b = await timedWrite({ lines, stamp, go, file });
        const files = readdirSync(dir)
          .filter((f) => /^flood\.log(\.\d+)?$/.test(f))
          .map((f) => join(dir, f));
        const loss = countLines(files, lines);
        lossInfo.push(loss);
        pairs[i].b = { ...b, ...loss };
      } finally {
        stopTend(sb);
      }
    }
  }
  const a = pairs.map((p) => p.a.mbps);
  const b = pairs.map((p) => p.b.mbps);
  const s = summary(b);
  const lost = Math.max(...lossInfo.map((l) => l.lost));
  const dups = Math.max(...lossInfo.map((l) => l.dups));
  return [
    row({
      id: 'logs', label: `log capture throughput (${ctx.logMiB} MiB, ${LINE_LEN}-byte lines)`, unit: 'MiB/s',
      value: s.median, min: s.min, max: s.max, n: s.n, baseline: median(a), baselineLabel: 'straight to a file',
      ratio: median(pairs.map((p) => p.b.mbps / p.a.mbps)), target: atLeast(0.8),
      details: {
        runs: pairs,
        pipeRelayMiBps: median(pairs.map((p) => p.relay?.mbps)),
        note: 'pipeRelayMiBps: the same writer piped into a bare Node process appending to a file (reference floor for pipe capture)',
      },
    }),
    row({
      id: 'logs-relay', label: 'log capture vs a bare Node pipe relay', unit: 'MiB/s', value: s.median,
      baseline: median(pairs.map((p) => p.relay?.mbps)), baselineLabel: 'pipe → bare node relay → file',
      ratio: median(pairs.map((p) => p.b.mbps / p.relay?.mbps)),
    }),
    row({
      id: 'logs-lost', label: 'log lines lost / duplicated', unit: 'lines', value: lost, n: lossInfo.length,
      target: { text: '0 lost', test: (v) => v === 0 }, targetOn: 'value', details: { lost, dups, lines },
    }),
  ];
}

export const FIGURES = {
  status: figStatus,
  start: figStart,
  stop: figStop,
  restart: figRestart,
  help: figHelp,
  query: figQuery,
  rss: figRss,
  'rss-services': figServicesRss,
  'crash-restart': figCrashRestart,
  'crash-ready': figCrashReady,
  logs: figLogs,
  'watch-cost': figWatchCost,
  'watch-latency': figWatchLatency,
  'logs-read': (ctx) => figLogRead(ctx, row),
  'stop-services': figStopServices,
  ports: async (ctx) => (await import('./ports.mjs')).figLeasePorts(ctx),
  'start-ports': async (ctx) => (await import('./ports.mjs')).figStartAutoPorts(ctx),
  dashboard: (ctx) => import('./dashboard.mjs').then((m) => m.figDashboard(ctx)),
};
