import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UI_CODE_TTL_MS, UiSessions } from '../../../src/kit/server/ui-session.js';

test('a login code becomes a session once; a second use is refused as used', () => {
  const s = new UiSessions();
  const code = s.issueCode();
  const first = s.redeem(code);
  assert.ok(first.ok);
  assert.ok(s.valid(first.session));
  assert.deepEqual(s.redeem(code), { ok: false, reason: 'used' });
});

test('a login code past its TTL is refused as expired, and stays refused', () => {
  let now = 1_000;
  const s = new UiSessions({ now: () => now });
  const code = s.issueCode();
  now += UI_CODE_TTL_MS + 1;
  assert.deepEqual(s.redeem(code), { ok: false, reason: 'expired' });
  assert.deepEqual(s.redeem(code), { ok: false, reason: 'used' });
});

test('a code within its TTL works; an unknown code and an unknown session are refused', () => {
  let now = 0;
  const s = new UiSessions({ now: () => now, codeTtlMs: 100 });
  const code = s.issueCode();
  now = 100;
  assert.ok(s.redeem(code).ok);
  assert.deepEqual(s.redeem('made-up'), { ok: false, reason: 'unknown' });
  assert.equal(s.valid('made-up'), false);
  assert.equal(s.valid(undefined), false);
  assert.equal(s.valid(''), false);
});

test('codes and sessions are random and distinct per issue', () => {
  const s = new UiSessions();
  const codes = new Set(Array.from({ length: 50 }, () => s.issueCode()));
  assert.equal(codes.size, 50);
  for (const c of codes) assert.ok(c.length >= 32);
});
