import { setTimeout as sleep } from 'node:timers/promises';

/** Options of pollUntil. */
export interface PollOptions {
  timeoutMs: number;
  /** The first pause between checks. Default 25 ms. */
  intervalMs?: number;
  /** Each pause is the previous one times this; 1 keeps it fixed. Default 1. */
  backoff?: number;
  /** The longest pause when backing off. Default 1000 ms. */
  maxIntervalMs?: number;
  /** Up to this much random extra per pause, so racers do not retry in step. Default 0. */
  jitterMs?: number;
  signal?: AbortSignal;
}

/** How a poll ended: `check`'s value, the deadline, or the signal. */
export type PollOutcome<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'aborted' };

/**
 * Calls `check` until it returns something other than false, null or
 * undefined, the deadline passes, or `signal` aborts; says which. For
 * conditions no event announces (a process that is not our child exiting, a
 * process group emptying, a lock another process holds). `check` runs once
 * more at the deadline.
 */
export async function pollUntil<T>(
  check: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  options: PollOptions,
): Promise<PollOutcome<T>> {
  const deadline = Date.now() + options.timeoutMs;
  const backoff = options.backoff ?? 1;
  const maxInterval = options.maxIntervalMs ?? 1_000;
  let interval = options.intervalMs ?? 25;
  for (;;) {
    if (options.signal?.aborted) return { kind: 'aborted' };
    const value = await check();
    if (value !== false && value !== null && value !== undefined) return { kind: 'done', value };
    const left = deadline - Date.now();
    if (left <= 0) return { kind: 'timeout' };
    const pause = Math.min(interval + Math.random() * (options.jitterMs ?? 0), left);
    try {
      await sleep(pause, undefined, options.signal ? { signal: options.signal } : undefined);
    } catch {
      return { kind: 'aborted' };
    }
    interval = Math.min(interval * backoff, Math.max(maxInterval, interval));
  }
}
