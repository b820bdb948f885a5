import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { METADATA_SCHEMA } from '../../../src/kit/state/metadata.js';

const STATUS = { instanceId: 'fake', pid: 4242, version: '0', startedAt: '2026-01-01T00:00:00.000Z', uptimeSeconds: 1, projectDir: '/p', logFile: '/l', foreground: false, requestsServed: 0, memory: { rss: 1, heapUsed: 1, heapTotal: 1, external: 1 } };

/** A fake daemon endpoint that answers any subscription with `events` (raw SSE text), then holds the stream open. */
async function fakeSse(t: TestContext, box: Sandbox, events: string): Promise<void> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(events);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  const paths = box.paths();
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  // A live process holding the lock stands for the daemon: the client checks both before it asks.
  const stand = spawn('sleep', ['600'], { stdio: 'ignore' });
  box.track(stand.pid!);
  mkdirSync(paths.lockDir, { mode: 0o700 });
  writeFileSync(paths.ownerFile, JSON.stringify({ pid: stand.pid, processStartTime: null, bootId: null, instanceId: 'fake' }), { mode: 0o600 });
  const metadata = { schema: METADATA_SCHEMA, pid: stand.pid, processStartTime: null, bootId: null, instanceId: 'fake', startedAt: STATUS.startedAt, version: '0', endpoint: `http://127.0.0.1:${port}/graphql`, host: '127.0.0.1', port, token: 't', projectDir: box.projectDir, logFile: paths.logFile, foreground: false };
  writeFileSync(paths.metadataFile, JSON.stringify(metadata), { mode: 0o600 });
}

const next = (data: string) => `event: next\ndata: ${data}\n\n`;

test('status --watch reports a garbage SSE event as the watch\'s error, after the good ones', async (t) => {
  const box = makeSandbox(t);
  await fakeSse(t, box, next(JSON.stringify({ data: { status: STATUS } })) + ': keep-alive\n\n' + next('{not json'));
  const r = await box.cli(['status', '--watch', '--json'], { timeoutMs: 20_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(JSON.parse(r.stdout.split('\n')[0]!).pid, 4242, `the good event before it was printed: ${r.stdout}`);
  assert.match(r.stderr, /sent a subscription event that is not a GraphQL result: its data is not JSON/);
  assert.doesNotMatch(r.stderr, /SyntaxError|\n\s+at /, 'no crash, no stack trace');
});

test('status --watch reports an event that is JSON but no GraphQL result', async (t) => {
  const box = makeSandbox(t);
  await fakeSse(t, box, next('[1,2]'));
  const r = await box.cli(['status', '--watch'], { timeoutMs: 20_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /not a GraphQL result: its data is not a JSON object/);
});

test('status --watch passes on the daemon\'s error carried by an event', async (t) => {
  const box = makeSandbox(t);
  await fakeSse(t, box, next(JSON.stringify({ errors: [{ message: 'the daemon is stopping', extensions: { code: 'NOT_RUNNING' } }] })));
  const r = await box.cli(['status', '--watch'], { timeoutMs: 20_000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /the daemon is stopping/);
});
