/**
 * The first moment after start: a service that cannot run (its port is
 * taken, its binary is missing) dies within it. `start` looks at the services
 * at the end of it, so it can say which already exited or failed instead of
 * printing a bare "started".
 */
import type { ServiceRunner } from './service-runner.js';
import type { ServiceEvent } from './types.js';
import { delay } from './wait.js';

/** How long after start the daemon watches its services before it says ready. */
export const SETTLE_MS = 300;

/** What settle reads from the supervisor. */
export interface SettleWatch {
  runners: () => ServiceRunner[];
  onEvent: (listener: (event: ServiceEvent) => void) => () => void;
  clock: () => number;
  windowMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves once every spawned service has shown how it is doing (ready by its
 * probe, or ended), or once it has run for the window (a service without a
 * probe can only show it by staying up): at most `windowMs` from now.
 * Services still pending on a dependency are not waited for.
 */
export async function settle(watch: SettleWatch): Promise<void> {
  const windowMs = watch.windowMs ?? SETTLE_MS;
  const since = watch.clock();
  const decided = (r: ServiceRunner): boolean => {
    if (r.state === 'pending' || r.state === 'stopped') return true;
    if (r.state !== 'running' && r.state !== 'starting') return true; // exited, failed, backoff
    return r.ready && r.config.ready !== null;
  };
  if (watch.runners().every(decided)) return;
  const timer = new AbortController();
  const onAbort = () => timer.abort();
  watch.signal?.addEventListener('abort', onAbort, { once: true });
  const off = watch.onEvent(() => {
    if (watch.runners().every(decided)) timer.abort();
  });
  try {
    await delay(Math.max(0, windowMs - (watch.clock() - since)), timer.signal).catch(() => {});
  } finally {
    off();
    watch.signal?.removeEventListener('abort', onAbort);
  }
}
