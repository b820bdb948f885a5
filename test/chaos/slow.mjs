// Slow and many connections: slow-loris senders (headers or body dribbled a
// byte a second), idle sockets, and a flood of connections. Wanted: the
// daemon keeps answering throughout and closes the slow ones on its own.
import { connect } from 'node:net';
import { chaosCase, expectStart, stats } from './case.mjs';
import { rawPost as post } from '../helpers/raw-http.ts';
import { endpointOf } from './run.mjs';
import { settleDaemons } from './monitor.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fdCount } from '../helpers/proc.ts';
import { describeResult as describe } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

/** Node checks headersTimeout/requestTimeout only every connectionsCheckingInterval (30 s by default). */
const HEADERS_DEADLINE_S = 45;
const BODY_DEADLINE_S = 75;

function opener(ep, t0) {
  const sockets = [];
  return {
    sockets,
    open(kind, first) {
      const s = connect({ host: '127.0.0.1', port: ep.port });
      const rec = { kind, s, closedAt: null };
      s.on('error', () => {});
      s.on('close', () => (rec.closedAt = (Date.now() - t0) / 1000));
      if (first) s.write(first);
      sockets.push(rec);
      return rec;
    },
  };
}

/** Slow-loris: header dribblers, body dribblers, idle sockets, while a status query runs every second. */
export const slowLoris = chaosCase({ id: 'http.slow-loris', group: 'GraphQL endpoint', title: 'slow-loris: headers/body dribbled 1 B/s, idle sockets', ci: false, sandbox: 'loris' }, async (run, p, c) => {
  const up = await expectStart(run, c);
  const ep = endpointOf(run);
  const n = p.pick({ short: 150, long: 400 });
  const t0 = Date.now();
  const o = opener(ep, t0);
  for (let i = 0; i < n; i++) o.open('headers', `POST /graphql HTTP/1.1\r\nHost: ${ep.host}\r\n`);
  for (let i = 0; i < n / 3; i++) o.open('idle');
  const body = `POST /graphql HTTP/1.1\r\nHost: ${ep.host}\r\nAuthorization: Bearer ${ep.token}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{`;
  for (let i = 0; i < n / 3; i++) o.open('body', body);
  const drip = setInterval(() => {
    for (const r of o.sockets) if (r.kind !== 'idle' && r.closedAt === null) r.s.write('X');
  }, 1000);
  const probes = [];
  let peakFds = 0;
  try {
    while ((Date.now() - t0) / 1000 < BODY_DEADLINE_S && o.sockets.some((r) => r.closedAt === null)) {
      const res = await post(ep, { query: '{ status { pid } }' }, {}, { timeoutMs: 3_000 });
      probes.push(res);
      peakFds = Math.max(peakFds, fdCount(ep.pid) ?? 0);
      await sleep(1000);
    }
  } finally {
    clearInterval(drip);
    for (const r of o.sockets) r.s.destroy();
  }
  const bad = probes.filter((r) => r.status !== 200 || r.ms > 3_000);
  c.expect(bad.length === 0, `${bad.length}/${probes.length} status queries failed or took > 3 s while under attack`);
  const closed = (kind) => o.sockets.filter((r) => r.kind === kind).map((r) => r.closedAt ?? Infinity);
  const fig = [];
  for (const [kind, limit] of [['headers', HEADERS_DEADLINE_S], ['idle', HEADERS_DEADLINE_S], ['body', BODY_DEADLINE_S]]) {
    const t = stats(closed(kind));
    const open = closed(kind).filter((x) => x === Infinity).length;
    c.expect(t.max <= limit, `${kind} dribblers: ${open} still open, last closed at ${t.max} s (want all closed by ${limit} s)`);
    fig.push(`${kind} ×${closed(kind).length} closed by server at p50 ${fmt(t.p50)} s, max ${fmt(t.max)} s`);
  }
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}`);
  const lat = stats(probes.map((r) => r.ms));
  return { figures: `${fig.join('; ')}; ${probes.length - bad.length}/${probes.length} status queries OK meanwhile (max ${lat.max} ms); peak fds ${peakFds}`, failures: c.failures };
});

/** Many connections at once: the daemon must still answer (and should cap them). */
export const connectionFlood = chaosCase({ id: 'http.connection-flood', group: 'GraphQL endpoint', title: 'flood of idle connections', sandbox: 'flood' }, async (run, p, c) => {
  const up = await expectStart(run, c);
  const ep = endpointOf(run);
  const baseline = fdCount(ep.pid) ?? 0;
  const n = p.pick({ ci: 500, short: 2000, long: 5000 });
  const o = opener(ep, Date.now());
  for (let i = 0; i < n; i++) o.open('idle');
  await sleep(1500);
  const fds = fdCount(ep.pid);
  const res = await post(ep, { query: '{ status { pid } }' }, {}, { timeoutMs: 5_000 });
  c.expect(res.status === 200 && res.ms < 2_000, `status under ${n} idle connections: ${res.status ?? 'none'} in ${res.ms} ms`);
  const held = (fds ?? 0) - baseline;
  for (const r of o.sockets) r.s.destroy();
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}`);
  return { figures: `${n} idle connections: daemon fds ${baseline}→${fds} (no connection cap: ${held} held); status ${res.status} in ${res.ms} ms`, failures: c.failures };
});

const fmt = (x) => (x === Infinity ? 'never' : x.toFixed(1));
