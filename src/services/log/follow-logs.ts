/**
 * The live half of `tend logs -f`: each log continued from where its snapshot
 * ended (or from its first line, for a log that appears later), its new lines
 * filtered as the snapshot's were. With `--until T` the follow ends once the
 * stream has passed T (docker `logs --until -f`): a log whose newest line is
 * later than T is done, and so is everything once the clock is past T.
 */
import { followFile, watchDir } from '../../kit/log/follow.js';
import type { LogFormat, LogRecord } from '../../kit/log/log-record.js';
import type { SnapshotFile } from '../../kit/log/log-source.js';

/**
 * After the clock passes `--until`, lines stamped before it may still be on
 * their way to the file (captured, then written in batches): how long more
 * they are waited for.
 */
export const UNTIL_GRACE_MS = 1_000;

/** One log to follow, and what is already known of it. */
export interface FollowTarget {
  file: string;
  format: LogFormat<LogRecord>;
  /** The snapshot's open live file, to continue from its end; none: the whole file is to come. */
  live?: SnapshotFile;
  /** The snapshot already ended past `until`: nothing more of this log is shown. */
  passed?: boolean;
  /** Called with each new record that passes the filters. */
  emit: (record: LogRecord) => void;
}

/** How to follow. */
export interface FollowLogsOptions {
  since?: number;
  until?: number;
  /** The record filter besides since/until (run, grep). */
  matches: (record: LogRecord) => boolean;
  /** Logs that appear later (called when `watchDir` changes); each is followed from its start. */
  discover?: { watchDir: string; targets: () => FollowTarget[] };
  signal: AbortSignal;
  clock?: () => number;
}

/** Follows `targets` (and any discovered later) until `signal` aborts or, with `until`, the stream has passed it. */
export async function followLogs(targets: FollowTarget[], options: FollowLogsOptions): Promise<void> {
  const { since, until } = options;
  const clock = options.clock ?? Date.now;
  const done = new AbortController();
  const end = () => done.abort();
  options.signal.addEventListener('abort', end, { once: true });
  const timer = until === undefined ? undefined : setTimeout(end, Math.max(0, until + UNTIL_GRACE_MS - clock()));
  const follows = targets.map(follow);
  if (options.discover) follows.push(watchForNew(options.discover));
  try {
    await Promise.all(follows);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', end);
  }

  // Continues the snapshot's live file; without one, the file is new: all of it is to come.
  function follow(target: FollowTarget): Promise<void> {
    if (target.passed || done.signal.aborted) return Promise.resolve();
    const own = new AbortController();
    const signal = AbortSignal.any([done.signal, own.signal]);
    let partial = '';
    let previous: LogRecord | undefined;
    const onText = (text: string): void => {
      const parts = (partial + text).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (own.signal.aborted) return;
        const r = target.format.parse(line, previous) ?? target.format.untimed(line, previous?.time ?? clock(), previous);
        previous = r;
        // Lines are stored in time order: one past `until` is the end of this log.
        if (until !== undefined && r.time > until) return own.abort();
        if ((since === undefined || r.time >= since) && options.matches(r)) target.emit(r);
      }
    };
    return followFile(target.file, onText, { fd: target.live?.fd, from: target.live?.size ?? 0, signal });
  }

  // A log that appears after the snapshot is followed from its first line.
  function watchForNew(discover: NonNullable<FollowLogsOptions['discover']>): Promise<void> {
    const known = new Set(targets.map((t) => t.file));
    const more: Promise<void>[] = [];
    const check = () => {
      for (const target of discover.targets()) {
        if (known.has(target.file)) continue;
        known.add(target.file);
        more.push(follow(target));
      }
    };
    return watchDir(discover.watchDir, check, done.signal).then(() => Promise.all(more).then(() => {}));
  }
}
