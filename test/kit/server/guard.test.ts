import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequest, hostsFor, tokenMatches } from '../../../src/kit/server/guard.js';

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
});

test('hostsFor a loopback daemon accepts its loopback names; another address only itself', () => {
  assert.deepEqual([...hostsFor('127.0.0.1', 4100)].sort(), ['127.0.0.1:4100', '[::1]:4100', 'localhost:4100']);
  assert.deepEqual([...hostsFor('::1', 4100)].sort(), ['127.0.0.1:4100', '[::1]:4100', 'localhost:4100']);
  assert.deepEqual([...hostsFor('192.168.1.5', 4100)], ['192.168.1.5:4100']);
});
