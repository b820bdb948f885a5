// The GraphQL endpoint under abuse: malformed JSON, wrong content types,
// bodies of many MB, deep and aliased-to-death queries, batches, GET
// mutations, slow senders. Wanted: 4xx or a closed connection, never a 5xx
// or a crash; the daemon still answers afterwards and its RSS stays bounded.
import { readFileSync } from 'node:fs';
import { chaosCase, expectStart } from './case.mjs';
import { rawGet as get, jsonBody, rawPost as post } from '../helpers/raw-http.ts';
import { endpointOf } from './run.mjs';
import { settleDaemons } from './monitor.mjs';
import { alive, rssBytes } from '../helpers/proc.ts';
import { describeResult as describe } from '../helpers/cli.ts';

const STATUS_QUERY = { query: '{ status { pid } }' };
const mb = (b) => (b === null ? '?' : Math.round(b / 1e6));

/** 4xx, or the server closed the connection without answering. */
export function refused(res) {
  return (res.status >= 400 && res.status < 500) || (res.status === null && res.closedByServer && !res.timedOut);
}

/** Refused, or a GraphQL error answer with no data (yoga answers validation errors with 200 under Accept: application/json). */
export function rejected(res) {
  if (refused(res)) return true;
  const body = res.status === 200 ? jsonBody(res) : null;
  return Boolean(body?.errors?.length) && (body.data === undefined || body.data === null);
}

function label(res) {
  if (res.timedOut) return 'TIMEOUT';
  if (res.status === null) return res.closedByServer ? `closed${res.error ? ` (${res.error})` : ''}` : 'no answer';
  return String(res.status);
}

/**
 * A case against a running daemon: starts one, runs `attack(ep, c, run, p)`
 * (which returns figures), then checks that the same daemon still answers,
 * and reports its RSS before/after.
 */
export function daemonCase(meta, attack) {
  return chaosCase(meta, async (run, p, c) => {
    await expectStart(run, c);
    const ep = endpointOf(run);
    const before = rssBytes(ep.pid);
    const figures = await attack(ep, c, run, p);
    const after = await post(ep, STATUS_QUERY);
    c.expect(after.status === 200 && alive(ep.pid), `the daemon no longer answers: ${label(after)}`);
    const status = await run.cli(['status', '--json']);
    c.expect(status.code === 0, `status afterwards: ${describe(status)}`);
    const rss = rssBytes(ep.pid);
    const stop = await run.cli(['stop']);
    c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}`);
    return { figures: `${figures}; rss ${mb(before)}→${mb(rss)} MB` };
  });
}

/** Runs named requests one by one; each must satisfy `want`; returns "name→status" figures. */
async function battery(c, requests, want, wantName) {
  const out = [];
  for (const [name, send] of requests) {
    const res = await send();
    out.push(`${name}→${label(res)}`);
    c.expect(want(res), `${name}: ${label(res)} in ${res.ms} ms (want ${wantName}) ${res.text.split('\r\n\r\n')[1]?.slice(0, 160) ?? ''}`);
  }
  return out.join(', ');
}

/** Bodies that are not a GraphQL request. */
export const malformed = daemonCase({ id: 'http.malformed-json', group: 'GraphQL endpoint', title: 'malformed JSON and bad request shapes', sandbox: 'http-json' }, (ep, c) =>
  battery(c, [
    ['truncated', () => post(ep, '{"query": "{ status { pid }"')],
    ['not JSON', () => post(ep, 'not json at all')],
    ['query:42', () => post(ep, '{"query": 42}')],
    ['empty', () => post(ep, '')],
    ['null', () => post(ep, 'null')],
    ['variables:"x"', () => post(ep, '{"query":"{ status { pid } }","variables":"x"}')],
    ['invalid UTF-8', () => post(ep, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))],
  ], refused, '4xx'),
);

/** Content types a browser may send cross-site without a preflight, and none. */
export const contentTypes = daemonCase({ id: 'http.content-types', group: 'GraphQL endpoint', title: 'wrong content types (text/plain, form, multipart, none)', sandbox: 'http-ctype' }, (ep, c) =>
  battery(c, [
    ['text/plain', () => post(ep, STATUS_QUERY, { 'Content-Type': 'text/plain' })],
    ['none', () => post(ep, STATUS_QUERY, { 'Content-Type': null })],
    ['form-urlencoded', () => post(ep, 'query=%7Bstatus%7Bpid%7D%7D', { 'Content-Type': 'application/x-www-form-urlencoded' })],
    ['multipart', () => post(ep, '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ status { pid } }"}\r\n--x--\r\n', { 'Content-Type': 'multipart/form-data; boundary=x' })],
  ], refused, '4xx'),
);

/** Oversized and mis-framed requests, with and without the token. */
export const hugeBodies = daemonCase({ id: 'http.huge-bodies', group: 'GraphQL endpoint', title: 'bodies of 8 MB (sized, chunked, lying length), 64 KB header, 1 MB URL', sandbox: 'http-huge' }, (ep, c) =>
  battery(c, [
    ['8MB', () => post(ep, 'x'.repeat(8e6))],
    ['8MB chunked', () => post(ep, `7a1200\r\n${'x'.repeat(8e6)}\r\n0\r\n\r\n`, { 'Content-Length': null, 'Transfer-Encoding': 'chunked' })],
    ['length 25, 8MB sent', () => post(ep, JSON.stringify(STATUS_QUERY).padEnd(25) + 'x'.repeat(8e6), { 'Content-Length': 25 })],
    ['64KB header', () => post(ep, STATUS_QUERY, { 'X-Big': 'a'.repeat(65536) })],
    ['1MB URL', () => get(ep, `{ status { pid } }${' '.repeat(1e6)}`)],
    ['1MB, no token', () => post(ep, { query: `{ status { pid } }${' '.repeat(1e6 - 100)}` }, { Authorization: null })],
  ], refused, '4xx or closed'),
);

const deep = (n) => ({ query: `{${'a{'.repeat(n)}${'}'.repeat(n + 1)}` });
const aliases = (n) => ({ query: `{${Array.from({ length: n }, (_, i) => ` a${i}: status { pid }`).join('')} }` });

/** Parser and validator stressors that fit under the 1 MB body limit. */
export const deepQueries = daemonCase({ id: 'http.deep-queries', group: 'GraphQL endpoint', title: 'deeply nested queries (10k, 100k levels), fragment cycles, deep variables', sandbox: 'http-deep' }, (ep, c) =>
  battery(c, [
    ['depth 10k', () => post(ep, deep(10_000), {}, { timeoutMs: 30_000 })],
    ['depth 100k', () => post(ep, deep(100_000), {}, { timeoutMs: 30_000 })],
    ['fragment cycle', () => post(ep, { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' })],
    ['variables 300k deep', () => post(ep, `{"query":"query($v: String){status{pid}}","variables":{"v":${'['.repeat(300_000)}${']'.repeat(300_000)}}}`)],
  ], rejected, '4xx or a GraphQL error'),
);

/** Many aliases: one query doing the work of thousands. */
export const aliasFlood = daemonCase({ id: 'http.alias-flood', group: 'GraphQL endpoint', title: '20k aliases in one query, and 8 such queries at once', sandbox: 'http-alias' }, async (ep, c, _run) => {
  const one = await post(ep, aliases(20_000), {}, { timeoutMs: 30_000 });
  c.expect(rejected(one), `20k aliases: ${label(one)} in ${one.ms} ms (want refused: no alias/cost limit)`);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(ep.pid) ?? 0)), 20);
  const t0 = Date.now();
  const many = await Promise.all(Array.from({ length: 8 }, () => post(ep, aliases(20_000), {}, { timeoutMs: 60_000 })));
  clearInterval(sampler);
  const ms = Date.now() - t0;
  c.expect(many.every(rejected), `8×20k aliases at once: ${many.map(label).join(',')} in ${ms} ms, peak RSS ${mb(peak)} MB`);
  return `20k aliases→${label(one)} in ${one.ms} ms; 8 at once→${[...new Set(many.map(label))].join('/')} in ${ms} ms, peak RSS ${mb(peak)} MB`;
});

/** Batches, GET mutations, introspection, missing token. */
export const methods = daemonCase({ id: 'http.batch-get-mutation', group: 'GraphQL endpoint', title: 'batched queries, GET mutation, no token', sandbox: 'http-methods' }, async (ep, c, run) => {
  const figures = await battery(c, [
    ['batch of 2', () => post(ep, [STATUS_QUERY, STATUS_QUERY])],
    ['batch of 1000', () => post(ep, Array.from({ length: 1000 }, () => STATUS_QUERY))],
    ['GET mutation', () => get(ep, 'mutation { reload { added } }')],
    ['GET, no token', () => get(ep, '{ status { pid } }', { Authorization: null })],
  ], refused, '4xx');
  const log = readFileSync(run.file('daemon.log'), 'utf8');
  c.expect(!/reload/i.test(log), 'the GET mutation ran (the log mentions a reload)');
  return figures;
});

/** Heavy but allowed requests, repeated: RSS must level off, not climb. */
export const rssBound = daemonCase({ id: 'http.rss-bound', group: 'GraphQL endpoint', title: 'RSS under repeated heavy requests levels off', sandbox: 'http-rss' }, async (ep, c, _run, p) => {
  const rounds = p.pick({ ci: 3, short: 6, long: 20 });
  const rss = [];
  for (let r = 0; r < rounds; r++) {
    await Promise.all([
      post(ep, aliases(5_000), {}, { timeoutMs: 30_000 }),
      post(ep, deep(5_000)),
      post(ep, 'x'.repeat(2e6)),
      post(ep, { query: `{${' s: status { pid }'.repeat(5_000)} }` }, {}, { timeoutMs: 30_000 }),
      ...Array.from({ length: 20 }, () => post(ep, STATUS_QUERY)),
    ]);
    rss.push(rssBytes(ep.pid));
  }
  const growth = rss[rss.length - 1] - rss[1];
  c.expect(growth <= 48e6, `RSS kept growing after round 2: ${rss.map(mb).join(' → ')} MB`);
  c.expect(Math.max(...rss) <= 512e6, `RSS peaked at ${mb(Math.max(...rss))} MB (limit 512)`);
  return `${rounds} rounds: RSS ${rss.map(mb).join('→')} MB (limit: +48 MB after round 2, 512 MB max)`;
});
