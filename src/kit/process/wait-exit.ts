import { pollUntil } from '../poll.js';
import { inspectProcess } from './process-info.js';

/** How a wait for a process to end finished. */
export type ExitWait = 'exited' | 'timeout' | 'aborted';

/**
 * Waits until `pid` is gone (a zombie counts as gone). There is no exit event
 * for a process that is not our child, so /proc is read (~20 µs a read): every
 * 2 ms at first, as a daemon's clean exit takes 10-30 ms and every ms of
 * overshoot is `stop`'s, backing off to 50 ms for the slow ones.
 */
export async function waitForExit(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<ExitWait> {
  const dead = () => inspectProcess(pid).kind === 'dead';
  const outcome = await pollUntil(dead, { timeoutMs, intervalMs: 2, backoff: 1.25, maxIntervalMs: 50, signal });
  return outcome.kind === 'done' ? 'exited' : outcome.kind;
}
