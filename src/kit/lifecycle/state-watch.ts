import { closeSync, existsSync, writeSync } from 'node:fs';
import { openLog } from '../log/daemon-log.js';
import { ensureInstanceDir } from '../state/instance-dir.js';
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

/**
 * Stops the daemon when its state dir is removed under it: nothing can find
 * or stop it any more, and the next start would run a second one. Says so
 * where `logs` will look (a new log when the old one went with the dir).
 */
export function stopWhenStateRemoved(paths: InstancePaths, name: string, stop: (why: string) => void): () => void {
  return watchState(paths, () => {
    const why = `the state dir ${paths.dir} was removed under the running daemon`;
    try {
      if (existsSync(paths.logFile)) throw new Error('the log is still there: stop() writes to it');
      ensureInstanceDir(paths, name);
      const fd = openLog(paths.logFile);
      writeSync(fd, `${new Date().toISOString()} stopping: ${why}\n`);
      closeSync(fd);
    } catch {
      // The log is still there, or not writable any more: stop()'s line goes to the open log.
    }
    stop(why);
  });
}
