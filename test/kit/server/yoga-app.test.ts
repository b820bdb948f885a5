import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { GraphQLError } from 'graphql';
import { TimeoutError } from '../../../src/kit/errors.js';
import { createDaemonApp, type AppOptions } from '../../../src/kit/server/yoga-app.js';
import { hostsFor } from '../../../src/kit/server/guard.js';
import type { LiveStatus } from '../../../src/kit/server/status-shape.js';

const TOKEN = 'app-test-token';
const URL_ = 'http://127.0.0.1:4100/graphql';
const STATUS: LiveStatus = {
  instanceId: 'i-1',
  pid: 4242,
  version: '1.0.0',
  startedAt: '2026-01-01T00:00:00.000Z',
  uptimeSeconds: 12.5,
  projectDir: '/p',
  logFile: '/s/daemon.log',
  foreground: false,
  requestsServed: 0,
  droppedLines: 0,
  memory: { rss: 1, heapUsed: 2, heapTotal: 3, external: 4 },
};

/** The app with no socket, plus what it told the daemon. */
function makeApp(over: Partial<AppOptions> = {}) {
  const changes = new EventEmitter();
  const stops = new Set<() => void>();
  let counted = 0;
  const app = createDaemonApp({
    token: TOKEN,
    allowedHosts: () => hostsFor('127.0.0.1', 4100),
    status: () => ({ ...STATUS, requestsServed: counted }),
    onChange: (l) => {
      changes.on('change', l);
      return () => changes.off('change', l);
    },
    countRequest: () => void counted++,
    trackSubscription: (stop) => {
      stops.add(stop);
      return () => stops.delete(stop);
    },
    ...over,
  });
  return { app, changes, stops, counted: () => counted };
}

function post(app: ReturnType<typeof makeApp>['app'], query: string, headers: Record<string, string> = {}) {
  return app.fetch(URL_, {
    method: 'POST',
    headers: { host: '127.0.0.1:4100', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
}

test('the app answers Query.status and counts the request', async () => {
  const a = makeApp();
  const res = await post(a.app, '{ status { instanceId pid version startedAt uptimeSeconds projectDir logFile foreground requestsServed memory { rss } } }');
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: { status: LiveStatus } };
  assert.equal(body.data.status.pid, 4242);
  assert.equal(body.data.status.instanceId, 'i-1');
  assert.equal(body.data.status.requestsServed, 1);
  assert.equal(a.counted(), 1);
});

test('the app refuses a request without the token (401) and does not count it', async () => {
  const a = makeApp();
  const res = await post(a.app, '{ status { pid } }', { authorization: '' });
  assert.equal(res.status, 401);
  const body = (await res.json()) as { data?: unknown; errors: { message: string }[] };
  assert.equal(body.data, undefined);
  assert.match(body.errors[0]!.message, /token/);
  assert.equal(a.counted(), 0);
});

test('the app refuses a foreign Host or an Origin (403)', async () => {
  const a = makeApp();
  assert.equal((await post(a.app, '{ status { pid } }', { host: 'evil.example' })).status, 403);
  assert.equal((await post(a.app, '{ status { pid } }', { origin: 'http://evil.example' })).status, 403);
  assert.equal(a.counted(), 0);
});

test('the app refuses schema introspection by default', async () => {
  const a = makeApp();
  const res = await post(a.app, '{ __schema { types { name } } }');
  const body = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
  assert.ok(body.errors?.length, 'introspection was answered');
  assert.match(body.errors![0]!.message, /introspection/i);
  assert.equal((body.data as { __schema?: unknown } | undefined)?.__schema, undefined);
});

test('the app allows introspection when asked to', async () => {
  const a = makeApp({ introspection: true });
  const res = await post(a.app, '{ __schema { queryType { name } } }');
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: { __schema: { queryType: { name: string } } } };
  assert.equal(body.data.__schema.queryType.name, 'Query');
});

test('the status subscription sends the status, again on a change, and completes when the daemon ends it', async () => {
  const a = makeApp();
  const res = await a.app.fetch(URL_, {
    method: 'POST',
    headers: { host: '127.0.0.1:4100', authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'subscription { status { pid requestsServed } }' }),
  });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (pattern: RegExp) => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return pattern.test(text);
  };
  assert.ok(await readUntil(/event: next[\s\S]*"pid":4242/), text);
  const events = () => text.match(/event: next/g)?.length ?? 0;
  const before = events();
  a.changes.emit('change');
  assert.ok(await readUntil(new RegExp(`(event: next[\\s\\S]*){${before + 1}}`)), text);
  assert.equal(a.stops.size, 1);
  for (const stop of a.stops) stop();
  assert.ok(await readUntil(/event: complete/), text);
  assert.equal(a.stops.size, 0);
});

test("the app passes the tool's own errors through with their code and masks the rest", async () => {
  const a = makeApp({
    typeDefs: 'extend type Query { own: Int, coded: Int, bug: Int, deadline: Int }',
    resolvers: {
      Query: {
        own: () => {
          throw new TimeoutError('READY_TIMEOUT', 'service web is not ready after 2 s');
        },
        coded: () => {
          throw new GraphQLError('no such thing', { extensions: { code: 'SERVICE_UNKNOWN' } });
        },
        bug: () => {
          throw new Error('secret internals');
        },
        deadline: () => Promise.reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      },
    },
  });
  const answer = async (field: string) => ((await (await post(a.app, `{ ${field} }`)).json()) as { errors: { message: string; extensions?: { code?: string } }[] }).errors[0]!;
  assert.deepEqual(await answer('own'), { message: 'service web is not ready after 2 s', locations: [{ line: 1, column: 3 }], path: ['own'], extensions: { code: 'READY_TIMEOUT' } });
  const coded = await answer('coded');
  assert.equal(coded.message, 'no such thing');
  assert.equal(coded.extensions?.code, 'SERVICE_UNKNOWN');
  assert.equal((await answer('bug')).message, 'Unexpected error.');
  assert.equal((await answer('deadline')).message, 'Unexpected error.');
});

test('building the app leaves Node global Request untouched and unloaded (no undici on the daemon start)', async () => {
  // A fresh process: this one may already have read globalThis.Request.
  const { spawnSync } = await import('node:child_process');
  const script = `
    import { createDaemonApp } from './src/kit/server/yoga-app.ts';
    const before = Object.getOwnPropertyDescriptor(globalThis, 'Request');
    const app = createDaemonApp({ token: 't', allowedHosts: () => new Set(['127.0.0.1:1']), status: () => ({}), onChange: () => () => {},
      countRequest: () => {}, trackSubscription: () => () => {} });
    const after = Object.getOwnPropertyDescriptor(globalThis, 'Request');
    const res = await app.fetch('http://127.0.0.1:1/graphql', { method: 'POST', headers: { host: '127.0.0.1:1', authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    console.log(JSON.stringify({ lazyBefore: typeof before.get, sameGetter: before.get === after.get, status: res.status, stillLazy: typeof Object.getOwnPropertyDescriptor(globalThis, 'Request').get, native: new Request('http://x/').url }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), {
    lazyBefore: 'function', sameGetter: true, status: 200, stillLazy: 'function', native: 'http://x/',
  });
});
