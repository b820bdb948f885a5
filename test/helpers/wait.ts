// Waiting on a condition no event announces, with the kit's own pollUntil (a
// deadline on every wait). Where an event exists, await the event instead.
import assert from 'node:assert/strict';
import { pollUntil } from '../../src/kit/poll.js';

/** Polls `check` until it returns a truthy value (a throw counts as not yet); throws with `what` after the deadline. */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  let last: unknown;
  const outcome = await pollUntil(
    async () => {
      try {
        return (await check()) || null;
      } catch (err) {
        last = err;
        return null;
      }
    },
    { timeoutMs, intervalMs: everyMs },
  );
  if (outcome.kind !== 'done') throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
  return outcome.value as NonNullable<T>;
}

/** Polls `check` (10 ms, backing off to 100 ms) until it is true; fails the test with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const outcome = await pollUntil(async () => (await check()) || null, { timeoutMs, intervalMs: 10, backoff: 2, maxIntervalMs: 100 });
  if (outcome.kind !== 'done') assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
