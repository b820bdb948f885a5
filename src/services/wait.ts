/**
 * Small waiting helpers for the supervisor: every wait has a deadline and
 * gives up at once when its AbortSignal fires (polling: kit/poll.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(Math.max(0, ms), undefined, signal === undefined ? undefined : { signal });
}

/** A signal that aborts when `parent` does or after `timeoutMs`; call dispose() when done. */
export interface DeadlineSignal {
  signal: AbortSignal;
  /** True when the deadline (not the parent) aborted it. */
  timedOut(): boolean;
  dispose(): void;
}

/**
 * Derives a signal with a deadline from `parent`. Hand-made rather than
 * AbortSignal.any(): on Node 20 that one keeps every derived signal alive as
 * long as the parent, and a probe derives one per attempt.
 */
export function withDeadline(parent: AbortSignal, timeoutMs: number): DeadlineSignal {
  const controller = new AbortController();
  let expired = false;
  const onParent = (): void => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, Math.max(0, timeoutMs));
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}
