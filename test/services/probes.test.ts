import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { LogMatcher } from '../../src/services/log/log-matcher.js';
import { killQuiet } from '../../src/services/process/process-group.js';
import { runProbe, type ProbeContext } from '../../src/services/probes.js';
import type { ReadyProbe } from '../../src/services/types.js';
import { deadline, isDead, logProbe, service, supervise, tempDir, timing, untilState, waitDead } from './helpers.js';

const ctx = (extra: Partial<ProbeContext> = {}): ProbeContext => ({ cwd: '/', env: process.env, signal: new AbortController().signal, ...extra });

/** An HTTP server on port 0, closed after the test. */
async function serve(t: TestContext, handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/health`;
}

/** A port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('http probe passes on 2xx/3xx once the server answers so', async (t) => {
  let calls = 0;
  const url = await serve(t, (_req, res) => {
    calls++;
    res.statusCode = calls < 3 ? 503 : 302;
    res.end();
  });
  const result = await runProbe({ kind: 'http', url, ...timing({ intervalMs: 10 }) }, ctx());
  assert.deepEqual(result, { ok: true, attempts: 3 });
});

test('http probe gives up after its retries with the last status', async (t) => {
  const url = await serve(t, (_req, res) => {
    res.statusCode = 500;
    res.end();
  });
  const result = await runProbe({ kind: 'http', url, ...timing({ intervalMs: 10, retries: 2 }) }, ctx());
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 3);
  assert.match(!result.ok ? result.reason : '', /http .* failed 3 times; last: HTTP 500/);
});

test('http probe attempts time out against a server that never answers', async (t) => {
  const url = await serve(t, () => {}); // never responds
  const began = Date.now();
  const result = await runProbe({ kind: 'http', url, ...timing({ intervalMs: 10, timeoutMs: 150, retries: 1 }) }, ctx());
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.reason : '', /no answer within 150 ms/);
  assert.ok(Date.now() - began >= 290);
});

test('tcp probe passes when something listens and gives up on a closed port', async (t) => {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as net.AddressInfo;
  assert.deepEqual(await runProbe({ kind: 'tcp', host: '127.0.0.1', port, ...timing() }, ctx()), { ok: true, attempts: 1 });
  const closed = await closedPort();
  const result = await runProbe({ kind: 'tcp', host: '127.0.0.1', port: closed, ...timing({ intervalMs: 10, retries: 2 }) }, ctx());
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.reason : '', /ECONNREFUSED/);
});

test('command probe passes on exit 0 and fails on non-zero', async () => {
  assert.deepEqual(await runProbe({ kind: 'command', command: 'test -d /', ...timing() }, ctx()), { ok: true, attempts: 1 });
  const result = await runProbe({ kind: 'command', command: ['sh', '-c', 'exit 4'], ...timing({ intervalMs: 10, retries: 1 }) }, ctx());
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.reason : '', /exited with code 4/);
});

test('command probe that hangs is killed, group and all, at its timeout', async (t) => {
  const dir = tempDir(t);
  const pidFile = join(dir, 'pids');
  const probe: ReadyProbe = { kind: 'command', command: `sleep 1000 & echo $$ $! > ${pidFile}; wait`, ...timing({ timeoutMs: 300, retries: 0 }) };
  const pids = (): number[] => (existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) : []);
  t.after(() => pids().forEach((pid) => killQuiet(pid, 'SIGKILL')));
  const result = await runProbe(probe, ctx());
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.reason : '', /no answer within 300 ms/);
  assert.equal(pids().length, 2);
  assert.ok(await waitDead(pids(), 5_000), 'the probe command or its child survived');
});

test('log probe passes on a line seen before or after it started, and times out otherwise', async () => {
  const early = new LogMatcher('listening on \\d+');
  early.line('listening on 8080');
  assert.deepEqual(await runProbe(logProbe('listening on \\d+'), ctx({ log: early })), { ok: true, attempts: 1 });

  const late = new LogMatcher('^ready$');
  setTimeout(() => late.line('ready'), 100);
  assert.deepEqual(await runProbe(logProbe('^ready$', { timeoutMs: 2_000 }), ctx({ log: late })), { ok: true, attempts: 1 });

  const never = new LogMatcher('^ready$');
  never.line('not ready');
  const result = await runProbe(logProbe('^ready$', { timeoutMs: 50, intervalMs: 10, retries: 2 }), ctx({ log: never }));
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 3);
});

test('a probe rejects at once when its signal aborts, and kills its command', async (t) => {
  const pidFile = join(tempDir(t), 'pid');
  const pid = (): number => Number(readFileSync(pidFile, 'utf8'));
  t.after(() => existsSync(pidFile) && killQuiet(pid(), 'SIGKILL'));
  const controller = new AbortController();
  const probe: ReadyProbe = { kind: 'command', command: `echo $$ > ${pidFile}; exec sleep 1000`, ...timing({ timeoutMs: 60_000 }) };
  const pending = runProbe(probe, ctx({ signal: controller.signal }));
  setTimeout(() => controller.abort(new Error('stopped')), 200);
  await assert.rejects(pending, /stopped/);
  assert.ok(isDead(pid()));
});

test('a service whose probe gives up keeps running, is not ready, and waitReady says why', async (t) => {
  const { sup } = supervise(t, [service('web', 'echo booting; sleep 1000', { ready: logProbe('^listening', { timeoutMs: 100, intervalMs: 10, retries: 2 }) })]);
  await sup.start();
  const error = await sup.waitReady(undefined, deadline()).then(
    () => assert.fail('waitReady resolved'),
    (err: unknown) => err as { code: string; message: string; service: string; logTail: string[] },
  );
  assert.equal(error.code, 'SERVICE_FAILED');
  assert.equal(error.service, 'web');
  assert.match(error.message, /not ready: log \/\^listening\/ failed 3 times/);
  assert.deepEqual(error.logTail, ['booting']);
  const info = sup.get('web')!;
  assert.equal(info.state, 'running');
  assert.equal(info.ready, false);
  assert.match(info.reason ?? '', /failed 3 times/);
  assert.ok(info.pid !== null && !isDead(info.pid));
});

test('a log probe sees stderr lines, and the service becomes running and ready', async (t) => {
  const { sup } = supervise(t, [service('db', 'sleep 0.2; echo "accepting connections" >&2; sleep 1000', { ready: logProbe('accepting connections') })]);
  const events: string[] = [];
  sup.onEvent((e) => events.push(`${e.kind}:${e.state}`));
  await sup.start();
  assert.equal(sup.get('db')!.state, 'starting');
  await sup.waitReady(undefined, deadline());
  await untilState(sup, 'db', 'running');
  assert.equal(sup.get('db')!.ready, true);
  assert.ok(events.includes('ready:running'), events.join(' '));
});
