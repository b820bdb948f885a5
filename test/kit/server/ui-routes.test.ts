import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { createDaemonApp } from '../../../src/kit/server/yoga-app.js';
import { hostsFor } from '../../../src/kit/server/guard.js';
import { UiSessions } from '../../../src/kit/server/ui-session.js';
import type { UiBundle } from '../../../src/kit/server/ui-routes.js';

const TOKEN = 'ui-test-token';
const ORIGIN = 'http://127.0.0.1:4100';
const HOST = { host: '127.0.0.1:4100' };
const BUNDLE: UiBundle = {
  html: '<!doctype html><title>dash</title><script type="module" src="/ui/app-abc.js"></script>',
  assets: { '/ui/app-abc.js': { body: 'console.log(1)', type: 'text/javascript; charset=utf-8' } },
};

function makeApp(now = () => Date.now()) {
  const changes = new EventEmitter();
  const logins = new UiSessions({ now });
  const app = createDaemonApp({
    token: TOKEN,
    allowedHosts: () => hostsFor('127.0.0.1', 4100),
    status: () => ({ instanceId: 'i', pid: 1, version: '1', startedAt: '2026-01-01T00:00:00Z', uptimeSeconds: 1, projectDir: '/p', logFile: '/l', foreground: false, requestsServed: 0, memory: { rss: 1, heapUsed: 1, heapTotal: 1, external: 1 }, droppedLines: 0 }),
    onChange: (l) => (changes.on('change', l), () => changes.off('change', l)),
    countRequest: () => {},
    trackSubscription: () => () => {},
    typeDefs: 'type Mutation { noop: Boolean }',
    ui: { bundle: async () => BUNDLE, logins, cookieName: 'tend_ui_4100', command: 'tend ui' },
  });
  return { app, logins };
}

const gql = (app: ReturnType<typeof makeApp>['app'], query: string, headers: Record<string, string>) =>
  app.fetch(`${ORIGIN}/graphql`, { method: 'POST', headers: { ...HOST, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

async function codeFor(app: ReturnType<typeof makeApp>['app']): Promise<string> {
  const res = await gql(app, 'mutation { uiLoginCode { code path } }', { authorization: `Bearer ${TOKEN}` });
  const body = (await res.json()) as { data: { uiLoginCode: { code: string; path: string } } };
  assert.equal(body.data.uiLoginCode.path, `/ui/login?code=${body.data.uiLoginCode.code}`);
  return body.data.uiLoginCode.code;
}

async function login(app: ReturnType<typeof makeApp>['app']): Promise<string> {
  const res = await app.fetch(`${ORIGIN}/ui/login?code=${await codeFor(app)}`, { headers: HOST, redirect: 'manual' });
  return /^tend_ui_4100=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
}

test('a login code redirects (303) to a URL with no secret, setting an HttpOnly SameSite=Strict session cookie', async () => {
  const { app } = makeApp();
  const code = await codeFor(app);
  const res = await app.fetch(`${ORIGIN}/ui/login?code=${code}`, { headers: HOST, redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^tend_ui_4100=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\/$/);
  assert.ok(!cookie.includes(code));
});

test('a reused or late code gets a refusal page that says to run tend ui', async () => {
  let now = 0;
  const { app } = makeApp(() => now);
  const code = await codeFor(app);
  await app.fetch(`${ORIGIN}/ui/login?code=${code}`, { headers: HOST, redirect: 'manual' });
  const reused = await app.fetch(`${ORIGIN}/ui/login?code=${code}`, { headers: HOST, redirect: 'manual' });
  assert.equal(reused.status, 403);
  assert.equal(reused.headers.get('set-cookie'), null);
  assert.match(await reused.text(), /already used.*Run `tend ui`/);
  const late = await codeFor(app);
  now += 60_001;
  const res = await app.fetch(`${ORIGIN}/ui/login?code=${late}`, { headers: HOST, redirect: 'manual' });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /expired.*Run `tend ui`/);
});

test('the login refuses a Host that is not the daemon, even with a good code', async () => {
  const { app } = makeApp();
  const res = await app.fetch(`${ORIGIN}/ui/login?code=${await codeFor(app)}`, { headers: { host: 'evil.example:4100' }, redirect: 'manual' });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('set-cookie'), null);
});

test('the page needs a session; with one it is HTML, no-store, with a strict CSP', async () => {
  const { app } = makeApp();
  const anon = await app.fetch(`${ORIGIN}/`, { headers: HOST });
  assert.equal(anon.status, 401);
  assert.match(await anon.text(), /tend ui/);
  const withToken = await app.fetch(`${ORIGIN}/`, { headers: { ...HOST, authorization: `Bearer ${TOKEN}` } });
  assert.equal(withToken.status, 401);
  const session = await login(app);
  const res = await app.fetch(`${ORIGIN}/`, { headers: { ...HOST, cookie: `tend_ui_4100=${session}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/);
  assert.equal(await res.text(), BUNDLE.html);
});

test('hashed assets are immutable with an ETag, and a matching If-None-Match gets 304', async () => {
  const { app } = makeApp();
  const cookie = `tend_ui_4100=${await login(app)}`;
  const res = await app.fetch(`${ORIGIN}/ui/app-abc.js`, { headers: { ...HOST, cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(res.headers.get('cache-control') ?? '', /immutable/);
  const etag = res.headers.get('etag')!;
  assert.ok(etag);
  assert.equal(await res.text(), 'console.log(1)');
  const again = await app.fetch(`${ORIGIN}/ui/app-abc.js`, { headers: { ...HOST, cookie, 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await app.fetch(`${ORIGIN}/ui/nope.js`, { headers: { ...HOST, cookie } })).status, 404);
});

test('a session reads GraphQL from its own origin only, and cannot mint login codes', async () => {
  const { app } = makeApp();
  const cookie = `tend_ui_4100=${await login(app)}`;
  const own = await gql(app, '{ status { pid } }', { cookie, origin: ORIGIN });
  assert.equal(own.status, 200);
  const other = await gql(app, '{ status { pid } }', { cookie, origin: 'http://127.0.0.1:9999' });
  assert.equal(other.status, 403);
  const noOrigin = await gql(app, 'mutation { noop }', { cookie });
  assert.equal(noOrigin.status, 403);
  const mint = (await (await gql(app, 'mutation { uiLoginCode { code } }', { cookie, origin: ORIGIN })).json()) as { errors: { extensions: { code: string } }[] };
  assert.equal(mint.errors[0]!.extensions.code, 'UI_LOGIN_REFUSED');
});
