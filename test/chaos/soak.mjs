// Soak: status queries at a steady rate, a CLI `status` now and then, and a
// service restarted every few seconds, for a set time; the daemon's RSS and
// open fds are sampled every second. Fails on errors, or on growth that is
// not flat (thresholds below).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checks, expectStart, stats } from './case.mjs';
import { jsonBody, rawPost as post } from '../helpers/raw-http.ts';
import { endpointOf } from './run.mjs';
import { settleDaemons } from './monitor.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fdCount, rssBytes } from '../helpers/proc.ts';
import { describeResult as describe } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

/**
 * What "flat" means. Open fds: at most +2 between the first and last tenth of
 * the samples. RSS: V8 lets the heap grow for the first minute or so before a
 * major GC (measured: ~85 -> ~118 MB over 60 s, then flat, heapUsed back to
 * ~20 MB), so a short run only bounds it (+64 MB, 256 MB at most); a run of
 * 120 s or more must also be flat over its second half (slope <= 2 MB/min).
 */
export const SOAK_LIMITS = { fdGrowth: 2, rssGrowthBytes: 64e6, rssMaxBytes: 256e6, rssSlopeMbPerMin: 2, slopeAfterSeconds: 120 };

const SERVICE = 'ticker';

/**
 * Runs the soak; options: seconds, rate (queries/s), cliEverySeconds,
 * restartEverySeconds (0: no service), warmupSeconds. Resolves
 * { figures, failures, report } where report holds the series.
 */
export function soak(options = {}) {
  const o = { seconds: 30, rate: 20, cliEverySeconds: 5, restartEverySeconds: 5, warmupSeconds: 5, ...options };
  return withRun('soak', async (run) => {
    const c = checks();
    if (o.restartEverySeconds > 0) {
      const tick = "setInterval(() => console.log('tick ' + Date.now()), 50)";
      writeFileSync(join(run.projectDir, 'tend.yaml'), `services:\n  ${SERVICE}:\n    command: ["node", "-e", ${JSON.stringify(tick)}]\n`);
    }
    const up = await expectStart(run, c, ['--json']);
    if (up.code !== 0) return { figures: '', failures: c.failures };
    const ep = endpointOf(run);
    const latencies = [];
    const errors = [];
    const counts = { queries: 0, cli: 0, restarts: 0 };
    const samples = [];
    let stopping = false;
    let heapUsed = null;

    const queries = (async () => {
      const gap = 1000 / o.rate;
      let next = Date.now();
      while (!stopping) {
        const res = await post(ep, { query: '{ status { pid requestsServed memory { heapUsed } } }' }, {}, { timeoutMs: 5_000 });
        counts.queries++;
        heapUsed = jsonBody(res)?.data?.status?.memory?.heapUsed ?? heapUsed;
        latencies.push(res.ms);
        if (res.status !== 200) errors.push(`query: ${res.status ?? (res.timedOut ? 'timeout' : res.error)}`);
        next += gap;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
    const every = (seconds, fn) =>
      (async () => {
        if (!seconds) return;
        while (!stopping) {
          await sleep(seconds * 1000);
          if (!stopping) await fn();
        }
      })();
    const cli = every(o.cliEverySeconds, async () => {
      const res = await run.cli(['status', '--json']);
      counts.cli++;
      if (res.code !== 0) errors.push(`cli: ${describe(res)}`);
    });
    const restarts = every(o.restartEverySeconds, async () => {
      const res = await run.cli(['restart', SERVICE]);
      counts.restarts++;
      if (res.code !== 0) errors.push(`restart ${SERVICE}: ${describe(res)}`);
    });

    const t0 = Date.now();
    const total = (o.warmupSeconds + o.seconds) * 1000;
    while (Date.now() - t0 < total) {
      await sleep(1000);
      if (Date.now() - t0 >= o.warmupSeconds * 1000) samples.push({ t: (Date.now() - t0) / 1000, rss: rssBytes(ep.pid), fds: fdCount(ep.pid), heapUsed });
    }
    stopping = true;
    await Promise.all([queries, cli, restarts]);

    const tenth = Math.max(1, Math.floor(samples.length / 10));
    const med = (xs) => stats(xs).p50;
    const first = samples.slice(0, tenth);
    const last = samples.slice(-tenth);
    const rss0 = med(first.map((s) => s.rss));
    const rss1 = med(last.map((s) => s.rss));
    const fds0 = Math.min(...first.map((s) => s.fds));
    const fds1 = Math.min(...last.map((s) => s.fds));
    const half = samples.slice(Math.floor(samples.length / 2));
    const slope = slopePerMinute(half.map((s) => [s.t, s.rss / 1e6]));
    c.expect(errors.length === 0, `${errors.length} errors: ${errors.slice(0, 5).join('; ')}`);
    c.expect(fds1 - fds0 <= SOAK_LIMITS.fdGrowth, `open fds grew ${fds0} → ${fds1}`);
    c.expect(rss1 - rss0 <= SOAK_LIMITS.rssGrowthBytes, `RSS grew ${mb(rss0)} → ${mb(rss1)} MB (allowed +${mb(SOAK_LIMITS.rssGrowthBytes)} MB)`);
    const peak = Math.max(...samples.map((s) => s.rss));
    c.expect(peak <= SOAK_LIMITS.rssMaxBytes, `RSS peaked at ${mb(peak)} MB (allowed ${mb(SOAK_LIMITS.rssMaxBytes)} MB)`);
    if (o.seconds >= SOAK_LIMITS.slopeAfterSeconds) {
      c.expect(slope <= SOAK_LIMITS.rssSlopeMbPerMin, `RSS still climbing in the second half: ${slope.toFixed(2)} MB/min`);
    }
    const services = run.processes().filter((p) => !run.daemons().includes(p));
    if (o.restartEverySeconds > 0) c.expect(services.length === 1, `service processes after ${counts.restarts} restarts: ${services.length} (want 1)`);
    const stop = await run.cli(['stop']);
    c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}`);
    await sleep(300);
    c.expect(run.processes().length === 0, `processes left after stop: ${run.processes()}`);
    const lat = stats(latencies);
    const report = { options: o, counts, errors: errors.length, latencyMs: lat, rss: [rss0, rss1], fds: [fds0, fds1], slopeMbPerMin: slope, samples };
    return {
      figures: `${o.seconds}s: ${counts.queries} queries (p50 ${lat.p50} ms, p95 ${lat.p95} ms), ${counts.cli} CLI status, ${counts.restarts} service restarts, ${errors.length} errors; RSS ${mb(rss0)}→${mb(rss1)} MB (${slope >= 0 ? '+' : ''}${slope.toFixed(1)} MB/min late), fds ${fds0}→${fds1}`,
      failures: c.failures,
      report,
    };
  });
}

function slopePerMinute(points) {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? (num / den) * 60 : 0;
}

const mb = (b) => Math.round(b / 1e6);

/** The soak as a chaos case: 30 s in the short profile, 120 s in the long one. */
export const soakCase = {
  id: 'soak.status-and-restarts',
  group: 'Soak',
  title: 'steady status queries + service restarts: RSS and fds flat',
  ci: false,
  run: (p) => soak({ seconds: p.pick({ short: 30, long: 120 }) }),
};
