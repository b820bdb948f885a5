import { existsSync } from 'node:fs';
import type { InstancePaths } from '../state/paths.js';

/** How often a running daemon checks that its lock and owner record still exist. */
export const STATE_CHECK_MS = 200;

/**
 * Calls `onGone` once when the lock dir or the owner record disappears (an
 * `rm -rf` of the state dir). proper-lockfile notices a removed lock only at
 * its next refresh; this notices within STATE_CHECK_MS, well before a new
 * daemon can be ready. Returns the function that stops watching.
 */
export function watchState(paths: InstancePaths, onGone: () => void, intervalMs = STATE_CHECK_MS): () => void {
  const timer = setInterval(() => {
    if (!existsSync(paths.lockDir) || !existsSync(paths.ownerFile)) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
