import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorize, checkRequest, hostsFor, readCookie, tokenMatches } from '../../../src/kit/server/guard.js';

const TOKEN = 'c2VjcmV0LXRva2Vu';
const options = { token: TOKEN, allowedHosts: () => hostsFor('127.0.0.1', 4100) };
const headers = (h: Record<string, string>) => new Headers(h);
const good = { host: '127.0.0.1:4100', authorization: `Bearer ${TOKEN}` };

test('checkRequest lets through the bearer token with this daemon as Host', () => {
  assert.equal(checkRequest(headers(good), options), null);
  assert.equal(checkRequest(headers({ ...good, host: 'localhost:4100' }), options), null);
  assert.equal(checkRequest(headers({ ...good, host: 'LOCALHOST:4100' }), options), null);
});

test('checkRequest refuses a missing, malformed or wrong token with 401', () => {
  for (const authorization of [undefined, '', 'Bearer ', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`]) {
    const h: Record<string, string> = { host: good.host };
    if (authorization !== undefined) h.authorization = authorization;
    assert.equal(checkRequest(headers(h), options)?.status, 401, String(authorization));
  }
});

test('checkRequest refuses a Host that is not this daemon with 403, before looking at the token', () => {
  for (const host of ['evil.example:4100', '127.0.0.1:4101', '127.0.0.1', 'localhost', '127.0.0.1.nip.io:4100']) {
    assert.equal(checkRequest(headers({ ...good, host }), options)?.status, 403, host);
  }
  assert.equal(checkRequest(headers({ authorization: good.authorization }), options)?.status, 403);
});

test('checkRequest refuses any request carrying an Origin with 403, right token or not', () => {
  for (const origin of ['http://evil.example', 'http://127.0.0.1:4100', 'null']) {
    assert.equal(checkRequest(headers({ ...good, origin }), options)?.status, 403, origin);
  }
});

test('the refusal message never repeats the token', () => {
  const verdict = checkRequest(headers({ host: good.host, authorization: `Bearer ${TOKEN}x` }), options);
  assert.ok(verdict && !verdict.message.includes(TOKEN));
});

test('tokenMatches compares whole tokens, whatever their lengths', () => {
  assert.equal(tokenMatches(TOKEN, TOKEN), true);
  assert.equal(tokenMatches(TOKEN + 'x', TOKEN), false);
  assert.equal(tokenMatches(TOKEN.slice(0, -1), TOKEN), false);
  assert.equal(tokenMatches('', TOKEN), false);
  assert.equal(tokenMatches('a'.repeat(10_000), TOKEN), false);
  // As many bytes as the token, fewer characters: compared, not thrown on.
  assert.equal(tokenMatches('é'.repeat(TOKEN.length / 2), TOKEN), false);
  assert.equal(tokenMatches(TOKEN.slice(0, -1) + 'é', TOKEN), false);
});

test('hostsFor a loopback daemon accepts its loopback names; another address only itself', () => {
  assert.deepEqual([...hostsFor('127.0.0.1', 4100)].sort(), ['127.0.0.1:4100', '[::1]:4100', 'localhost:4100']);
  assert.deepEqual([...hostsFor('::1', 4100)].sort(), ['127.0.0.1:4100', '[::1]:4100', 'localhost:4100']);
  assert.deepEqual([...hostsFor('192.168.1.5', 4100)], ['192.168.1.5:4100']);
});

const SESSION = 'good-session';
const withSessions = { ...options, sessions: { cookieName: 'tend_ui_4100', valid: (s: string | undefined) => s === SESSION } };
const cookie = { host: '127.0.0.1:4100', cookie: `other=1; tend_ui_4100=${SESSION}` };

test('authorize lets a dashboard session through from its own origin (or with no Origin on GET)', () => {
  assert.deepEqual(authorize(headers(cookie), withSessions, 'GET'), { ok: true, via: 'session' });
  assert.deepEqual(authorize(headers({ ...cookie, origin: 'http://127.0.0.1:4100', 'sec-fetch-site': 'same-origin' }), withSessions, 'POST'), { ok: true, via: 'session' });
  assert.deepEqual(authorize(headers({ ...cookie, host: 'localhost:4100', origin: 'http://localhost:4100' }), withSessions, 'POST'), { ok: true, via: 'session' });
  assert.deepEqual(authorize(headers({ host: good.host, authorization: good.authorization }), withSessions), { ok: true, via: 'token' });
});

test('authorize refuses a session from another origin, another site, or a POST without Origin', () => {
  for (const [h, method] of [
    [{ ...cookie, origin: 'http://127.0.0.1:5555' }, 'POST'],
    [{ ...cookie, origin: 'http://127.0.0.1:5555' }, 'GET'],
    [{ ...cookie, origin: 'null' }, 'POST'],
    [{ ...cookie, 'sec-fetch-site': 'same-site' }, 'GET'],
    [{ ...cookie, 'sec-fetch-site': 'cross-site' }, 'GET'],
    [cookie, 'POST'],
  ] as const) {
    const verdict = authorize(headers(h), withSessions, method);
    assert.equal(verdict.ok, false, JSON.stringify(h));
    assert.equal(!verdict.ok && verdict.status, 403, JSON.stringify(h));
  }
});

test('authorize refuses an unknown session with 401 and a Host that is not the daemon with 403', () => {
  const stale = authorize(headers({ ...cookie, cookie: 'tend_ui_4100=old' }), withSessions);
  assert.equal(!stale.ok && stale.status, 401);
  assert.match(!stale.ok ? stale.message : '', /tend ui/);
  const rebinding = authorize(headers({ ...cookie, host: 'evil.example:4100' }), withSessions);
  assert.equal(!rebinding.ok && rebinding.status, 403);
});

test('without sessions a cookie is ignored; the bearer API still refuses every Origin, its own included', () => {
  assert.equal(checkRequest(headers(cookie), options)?.status, 401);
  for (const origin of ['http://127.0.0.1:4100', 'http://evil.example']) {
    assert.equal(checkRequest(headers({ ...good, origin }), withSessions, 'POST')?.status, 403, origin);
  }
});

test('readCookie finds one cookie among several', () => {
  assert.equal(readCookie('a=1; tend_ui_4100=xyz; b=2', 'tend_ui_4100'), 'xyz');
  assert.equal(readCookie('tend_ui_41000=no', 'tend_ui_4100'), undefined);
  assert.equal(readCookie(null, 'x'), undefined);
});
