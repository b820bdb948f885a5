import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { httpPost } from '../../../src/kit/client/http-post.js';

const OPTIONS = { timeoutMs: 2_000, onTimeout: () => new Error('timed out') };

async function listening(t: TestContext, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql?x=1`;
}

// A server that answers every connection with `raw` once the request is in.
function rawServer(answer: (socket: Socket) => void): Server {
  return createNetServer((socket) => {
    let text = '';
    socket.on('data', (c) => {
      text += c;
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (end >= 0 && text.length >= end + 4 + length) answer(socket);
    });
    socket.on('error', () => {});
  });
}

test('httpPost sends method, path, Host, headers and body, and reads a Content-Length answer', async (t) => {
  let seen: { req: IncomingMessage; body: string } | undefined;
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { req, body };
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":"ünï"}');
    });
  });
  const url = await listening(t, server);
  const answer = await httpPost(url, { authorization: 'Bearer x', 'content-type': 'application/json' }, '{"q":"é"}', OPTIONS);
  assert.deepEqual(answer, { status: 201, body: '{"ok":"ünï"}' });
  assert.equal(seen!.req.method, 'POST');
  assert.equal(seen!.req.url, '/graphql?x=1');
  assert.equal(seen!.req.headers.host, new URL(url).host);
  assert.equal(seen!.req.headers.authorization, 'Bearer x');
  assert.equal(seen!.req.headers.connection, 'close');
  assert.equal(seen!.body, '{"q":"é"}');
});

test('httpPost reads chunked answers, also with a character split across chunks', async (t) => {
  const server = createHttpServer((_req, res) => {
    const bytes = Buffer.from('ab€cd');
    res.write(bytes.subarray(0, 3));
    res.end(bytes.subarray(3));
  });
  const answer = await httpPost(await listening(t, server), {}, '', OPTIONS);
  assert.deepEqual(answer, { status: 200, body: 'ab€cd' });
});

test('httpPost reads an answer ended by the close, after an interim 100 Continue', async (t) => {
  const server = rawServer((s) => s.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nX: y\r\n\r\nstarting'));
  assert.deepEqual(await httpPost(await listening(t, server), {}, '{}', OPTIONS), { status: 503, body: 'starting' });
});

test('httpPost is done as soon as a sized or chunked answer is whole, even if the server keeps the connection open', async (t) => {
  const sized = rawServer((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  assert.deepEqual(await httpPost(await listening(t, sized), {}, '', OPTIONS), { status: 200, body: 'ok' });
  const chunked = rawServer((s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'));
  assert.deepEqual(await httpPost(await listening(t, chunked), {}, '', OPTIONS), { status: 200, body: 'ok' });
});

test('httpPost sends the request in one write', async (t) => {
  const writes: number[] = [];
  const server = createNetServer((socket) => {
    socket.on('data', (c) => {
      writes.push(c.length);
      socket.end('HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await httpPost(await listening(t, server), { authorization: 'Bearer x' }, '{"query":"{ status { pid } }"}', OPTIONS);
  assert.equal(writes.length, 1, `the request came in ${writes.length} pieces`);
});

test('httpPost fails when the answer is cut short or is not HTTP', async (t) => {
  const short = rawServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  await assert.rejects(httpPost(await listening(t, short), {}, '', OPTIONS), /socket hang up/);
  const garbage = rawServer((s) => s.end('SSH-2.0-OpenSSH\r\n\r\n'));
  await assert.rejects(httpPost(await listening(t, garbage), {}, '', OPTIONS), /socket hang up/);
});

test('httpPost rejects with the connection error when nothing listens', async () => {
  const closed = createNetServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const freePort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(httpPost(`http://127.0.0.1:${freePort}/`, {}, '', OPTIONS), { code: 'ECONNREFUSED' });
});

test('httpPost gives up on a silent server with the error onTimeout makes, and on abort', async (t) => {
  const url = await listening(t, rawServer(() => {}));
  await assert.rejects(httpPost(url, {}, '', { timeoutMs: 100, onTimeout: () => new Error('silent') }), /silent/);
  const ac = new AbortController();
  const pending = httpPost(url, {}, '', { ...OPTIONS, signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(pending, { name: 'AbortError' });
  await assert.rejects(httpPost(url, {}, '', { ...OPTIONS, signal: AbortSignal.abort() }), { name: 'AbortError' });
});
