import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import { listen, MAX_BODY_BYTES, type Listening } from '../../../src/kit/server/listen.js';

async function bound(t: TestContext): Promise<Listening> {
  const l = await listen('127.0.0.1', 0);
  t.after(() => l.close(0));
  return l;
}

function send(port: number, options: { method?: string; headers?: Record<string, string | number>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: options.method ?? 'POST', headers: options.headers, agent: false });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('listen on port 0 binds a port the OS picked and answers 503 until a handler is set', async (t) => {
  const l = await bound(t);
  assert.ok(l.port > 0);
  const before = await send(l.port, { method: 'GET' });
  assert.equal(before.status, 503);
  l.setHandler((_req, res) => res.end('ok'));
  assert.deepEqual(await send(l.port, { method: 'GET' }), { status: 200, body: 'ok' });
});

test('listen rejects with EADDRINUSE naming the port', async (t) => {
  const other = createServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => other.close(() => r())));
  const port = (other.address() as { port: number }).port;
  await assert.rejects(listen('127.0.0.1', port), (err: NodeJS.ErrnoException) => {
    assert.equal(err.code, 'EADDRINUSE');
    assert.ok(err.message.includes(String(port)), err.message);
    return true;
  });
});

test('a body over the limit gets 413 and a chunked POST 411, before the handler sees them', async (t) => {
  const l = await bound(t);
  let handled = 0;
  l.setHandler((_req, res) => {
    handled++;
    res.end('ok');
  });
  const big = await send(l.port, { headers: { 'content-length': MAX_BODY_BYTES + 1 } });
  assert.equal(big.status, 413);
  const chunked = await send(l.port, { headers: { 'transfer-encoding': 'chunked' }, body: '{}' });
  assert.equal(chunked.status, 411);
  assert.equal(handled, 0);
});

test('close ends at the drain deadline even with a response still streaming', async (t) => {
  const l = await listen('127.0.0.1', 0);
  l.setHandler((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': open\n\n'); // and never ends, like an SSE subscription
  });
  const streaming = new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port: l.port, path: '/graphql', agent: false }, (res) => {
      res.once('data', () => resolve());
      res.on('error', () => {});
    });
    req.on('error', () => {});
    req.end();
  });
  await streaming;
  const began = Date.now();
  await l.close(200);
  assert.ok(Date.now() - began < 5_000, 'close waited for the stream to end by itself');
  t.diagnostic(`closed in ${Date.now() - began} ms`);
});

test('a JSON object body reaches the handler parsed, anything else as its text', async (t) => {
  const l = await bound(t);
  const seen: unknown[] = [];
  l.setHandler((req, res) => {
    seen.push((req as typeof req & { body?: unknown }).body);
    res.end('ok');
  });
  const bodies = ['{"query":"{ status { pid } }"}', '{"query":', '[]', '[{"query":"{ x }"}]', '{}', '"x"', 'null', '7'];
  for (const body of bodies) await send(l.port, { headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body });
  assert.deepEqual(seen, [{ query: '{ status { pid } }' }, ...bodies.slice(1)]);
});
