#!/usr/bin/env node
// Soak test of a tend daemon: status queries at a steady rate (+ a CLI
// `status` and a service restart every few seconds) for a set duration;
// prints RSS and open fds at start and end, and fails when growth is not
// flat (limits: SOAK_LIMITS in test/chaos/soak.mjs).
// Usage: node scripts/soak.mjs [--seconds 30] [--rate 20] [--restart-every 5] [--cli-every 5] [--json]
// Runs dist/cli.js (or $TEND_CHAOS_CLI); build first with `npm run build`.
import { parseArgs } from 'node:util';
import './harness.mjs';

const { soak, SOAK_LIMITS } = await import('../test/chaos/soak.mjs');

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '20' },
    'restart-every': { type: 'string', default: '5' },
    'cli-every': { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const num = (name) => {
  const v = Number(values[name]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number >= 0`);
  return v;
};
const result = await soak({
  seconds: num('seconds'),
  rate: num('rate'),
  restartEverySeconds: num('restart-every'),
  cliEverySeconds: num('cli-every'),
});
if (values.json) {
  console.log(JSON.stringify({ ok: result.failures.length === 0, failures: result.failures, ...result.report }));
} else {
  const r = result.report;
  if (r) {
    console.log(`soak ${r.options.seconds}s at ${r.options.rate} queries/s (warm-up ${r.options.warmupSeconds}s not measured)`);
    console.log(`  queries       ${r.counts.queries}  latency p50 ${r.latencyMs.p50} ms  p95 ${r.latencyMs.p95} ms  max ${r.latencyMs.max} ms`);
    console.log(`  CLI status    ${r.counts.cli}`);
    console.log(`  restarts      ${r.counts.restarts} (service "ticker")`);
    console.log(`  errors        ${r.errors}`);
    console.log(`  RSS           ${(r.rss[0] / 1e6).toFixed(1)} MB -> ${(r.rss[1] / 1e6).toFixed(1)} MB  (late slope ${r.slopeMbPerMin.toFixed(2)} MB/min)`);
    console.log(`  open fds      ${r.fds[0]} -> ${r.fds[1]}`);
    console.log(`  limits        fds +${SOAK_LIMITS.fdGrowth}; RSS +${SOAK_LIMITS.rssGrowthBytes / 1e6} MB and <= ${SOAK_LIMITS.rssMaxBytes / 1e6} MB; late slope <= ${SOAK_LIMITS.rssSlopeMbPerMin} MB/min for runs >= ${SOAK_LIMITS.slopeAfterSeconds}s`);
  }
  console.log(result.failures.length ? `FAIL\n  ${result.failures.join('\n  ')}` : 'PASS');
}
process.exitCode = result.failures.length ? 1 : 0;
