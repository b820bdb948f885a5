// The dev loop's figures: what `watch:` costs the daemon (RSS with a service
// watching a 10,000-file tree against the same daemon without watching, CPU
// while idle, `start --wait` time) and how fast a saved file restarts the
// service (change → new pid running, median; includes the 200 ms debounce).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuTicks, graphql, median, readMeta, rssMiB, sandbox, sleep, stopTend, summary, tend, track, until, wallMs } from './lib.mjs';
import { row, round, settledRss } from './figures.mjs';

const FILES = 10_000;
const SERVICES_QUERY = 'query { services { name state pid ready restarts } }';
const CLK_TCK = 100; // Linux USER_HZ

/** A project whose one service sleeps, watching (or not) a tree of FILES files in src/ (plus an ignored node_modules). */
function watchProject(name, watching) {
  const sb = sandbox(name);
  for (let d = 0; d < FILES / 100; d++) {
    const dir = join(sb.projectDir, 'src', `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.ts`), `export const x = ${f};\n`);
  }
  for (let d = 0; d < 50; d++) {
    const dir = join(sb.projectDir, 'node_modules', `p${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.js`), '');
  }
  const watch = watching ? '\n    watch: [src]' : '';
  writeFileSync(join(sb.projectDir, 'tend.yaml'), `services:\n  app:\n    command: ["sleep", "1000"]${watch}\n`);
  return sb;
}

function start(sb) {
  const r = tend(sb, ['start', '--wait']);
  if (r.status !== 0) throw new Error(`tend start --wait failed: ${r.stderr.trim().slice(0, 300)}`);
  const meta = readMeta(sb);
  track(meta.pid, 'tend daemon');
  return { meta, ms: r.ms };
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid) {
  return cpuTicks(pid) / CLK_TCK;
}

async function measureDaemon(watching, idleMs) {
  const sb = watchProject(watching ? 'watch-on' : 'watch-off', watching);
  try {
    const { meta, ms } = start(sb);
    const rss = await settledRss(meta.pid, () => graphql(meta, SERVICES_QUERY));
    const cpu0 = cpuSeconds(meta.pid);
    await sleep(idleMs);
    const cpuPct = ((cpuSeconds(meta.pid) - cpu0) / (idleMs / 1000)) * 100;
    return { rss, cpuPct, startMs: ms };
  } finally {
    stopTend(sb);
  }
}

export async function figWatchCost(ctx) {
  const runs = ctx.rssRuns;
  const idleMs = ctx.quick ? 5_000 : 10_000;
  const on = [];
  const off = [];
  for (let i = 0; i < runs; i++) {
    off.push(await measureDaemon(false, idleMs));
    on.push(await measureDaemon(true, idleMs));
  }
  const rssOn = summary(on.map((r) => r.rss));
  const rssOff = median(off.map((r) => r.rss));
  const delta = median(on.map((r, i) => r.rss - off[i].rss));
  const cpuOn = summary(on.map((r) => r.cpuPct));
  const startOn = summary(on.map((r) => r.startMs));
  const startOff = median(off.map((r) => r.startMs));
  return [
    row({
      id: 'watch-rss', label: `daemon RSS, a service watching ${FILES} files`, unit: 'MiB', value: rssOn.median, min: rssOn.min, max: rssOn.max, n: rssOn.n,
      baseline: rssOff, baselineLabel: 'same daemon, no watch', target: { text: '≤ +20 MiB over the baseline', test: () => delta <= 20 }, targetOn: 'value',
      details: { deltaMiB: round(delta), on: on.map((r) => round(r.rss)), off: off.map((r) => round(r.rss)) },
    }),
    row({
      id: 'watch-idle-cpu', label: `daemon CPU while idle, watching ${FILES} files`, unit: '%', value: cpuOn.median, min: cpuOn.min, max: cpuOn.max, n: cpuOn.n,
      baseline: median(off.map((r) => r.cpuPct)), baselineLabel: 'same daemon, no watch', target: { text: '≈ 0 (< 0.5%)', test: (v) => v < 0.5 }, targetOn: 'value',
      details: { idleMs },
    }),
    row({
      id: 'watch-start', label: `start --wait, watching ${FILES} files`, unit: 'ms', value: startOn.median, min: startOn.min, max: startOn.max, n: startOn.n,
      baseline: startOff, baselineLabel: 'same project, no watch', ratio: startOff ? startOn.median / startOff : null,
    }),
  ];
}

export async function figWatchLatency(ctx) {
  const runs = ctx.quick ? 3 : 10;
  const sb = watchProject('watch-latency', true);
  const latencies = [];
  try {
    const { meta } = start(sb);
    const app = async () => (await graphql(meta, SERVICES_QUERY)).data.services[0];
    for (let i = 0; i < runs; i++) {
      const before = await app();
      await sleep(300); // let the previous burst's debounce pass
      const t0 = wallMs();
      writeFileSync(join(sb.projectDir, 'src', 'd1', 'f1.ts'), `export const x = ${i};\n`);
      await until(async () => {
        const s = await app();
        return s.state === 'running' && s.pid !== before.pid && s.restarts === before.restarts + 1;
      }, { timeoutMs: 15_000, what: 'the restart' });
      latencies.push(wallMs() - t0);
    }
  } finally {
    stopTend(sb);
  }
  const s = summary(latencies);
  return [
    row({
      id: 'watch-latency', label: 'file saved → service restarted (debounce 200 ms included)', unit: 'ms', value: s.median, min: s.min, max: s.max, n: s.n,
      details: { latencies: latencies.map((x) => round(x)) },
    }),
  ];
}
