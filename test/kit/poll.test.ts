import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pollUntil } from '../../src/kit/poll.js';

test('pollUntil returns the first value check gives that is not false, null or undefined', async () => {
  let calls = 0;
  const outcome = await pollUntil(() => (++calls === 3 ? { at: calls } : calls === 1 ? null : false), { timeoutMs: 5_000, intervalMs: 1 });
  assert.deepEqual(outcome, { kind: 'done', value: { at: 3 } });
});

test('pollUntil says timeout after the deadline, having checked once more at it', async () => {
  let calls = 0;
  const outcome = await pollUntil(() => void calls++, { timeoutMs: 30, intervalMs: 10 });
  assert.deepEqual(outcome, { kind: 'timeout' });
  assert.ok(calls >= 2, `checked ${calls} times`);
});

test('pollUntil gives up at once when its signal aborts, even in a long pause', async () => {
  const controller = new AbortController();
  const waiting = pollUntil(() => false, { timeoutMs: 60_000, intervalMs: 60_000, signal: controller.signal });
  controller.abort();
  assert.deepEqual(await waiting, { kind: 'aborted' });
  assert.deepEqual(await pollUntil(() => true, { timeoutMs: 1_000, signal: controller.signal }), { kind: 'aborted' });
});

test('pollUntil backs off by its factor up to its longest pause, and awaits async checks', async () => {
  const at: number[] = [];
  await pollUntil(async () => (at.push(performance.now()), at.length === 6), { timeoutMs: 5_000, intervalMs: 4, backoff: 2, maxIntervalMs: 16 });
  const gaps = at.slice(1).map((t, i) => t - at[i]!);
  // Pauses of 4, 8, 16, 16, 16 ms: each at least its planned length.
  [4, 8, 16, 16, 16].forEach((planned, i) => assert.ok(gaps[i]! >= planned - 1, `pause ${i}: ${gaps[i]} ms, planned ${planned}`));
});
