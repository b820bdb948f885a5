/**
 * What `tend logs` shows: the lines of several logs (services' and the
 * daemon's) filtered by time, pattern and run, merged in capture order, then
 * optionally followed live. Streams: the last N lines are read backwards in
 * chunks (N per log at most in memory), `--since` reads forwards from a
 * binary-searched offset, and following (follow-logs.ts) continues each
 * snapshot's open file.
 */
import { DAEMON_LOG_FORMAT, type LogFormat, type LogRecord } from '../../kit/log/log-record.js';
import { LogSnapshot, type SnapshotFile, type Verdict } from '../../kit/log/log-source.js';
import { followLogs, type FollowTarget } from './follow-logs.js';
import type { LogEntry } from './log-entry.js';
import { parseServiceLine, type ServiceLine } from './log-format.js';

/** One log to show. */
export interface LogSourceSpec {
  /** The service's name, or the daemon's. */
  name: string;
  file: string;
  daemon?: boolean;
}

/** Which lines, and whether to follow. */
export interface LogViewOptions {
  /** The last N lines (after filtering); undefined: every line that matches. */
  lines?: number;
  since?: number;
  until?: number;
  grep?: RegExp;
  /** Only each service's last finished run. */
  previous?: boolean;
  follow?: boolean;
  /** While following: the logs to show now (called when `watchDir` changes), so a service that starts logging later is followed too. */
  discover?: { watchDir: string; sources: () => LogSourceSpec[] };
  signal: AbortSignal;
}

/** The service log format as a reader's LogFormat. */
export const SERVICE_LOG_FORMAT: LogFormat<LogRecord> = {
  // `previous` is always a record of this same format.
  parse: (line, previous) => parseServiceLine(line, previous as ServiceLine | undefined),
  untimed: (line, time, previous) => ({ time, timeText: '', run: previous?.run, kind: 'stdout', text: line }),
};

interface Opened {
  spec: LogSourceSpec;
  snapshot: LogSnapshot<LogRecord>;
  /** With --previous: the run to show (null: the service has no finished run). */
  run: number | null;
}

/** What a view found besides its lines. */
export interface LogViewResult {
  /** With --previous: the services that have no finished run yet. */
  withoutFinishedRun: string[];
}

/** Emits the matching lines of `sources` in capture order, then (with `follow`) new lines as they arrive. Resolves when done or aborted. */
export async function viewLogs(sources: LogSourceSpec[], options: LogViewOptions, emit: (entry: LogEntry) => void): Promise<LogViewResult> {
  const opened: Opened[] = sources
    .filter((spec) => !(options.previous && spec.daemon))
    .map((spec) => {
      const snapshot = LogSnapshot.open<LogRecord>(spec.file, formatOf(spec));
      return { spec, snapshot, run: options.previous ? lastFinishedRun(snapshot) : null };
    });
  const shown = opened.filter((o) => !options.previous || o.run !== null);
  const result: LogViewResult = { withoutFinishedRun: opened.filter((o) => !shown.includes(o)).map((o) => o.spec.name) };
  const matches = (run: number | null, r: LogRecord): boolean =>
    (options.until === undefined || r.time <= options.until) &&
    (run === null || r.run === run) &&
    (options.grep === undefined || options.grep.test(r.text));
  const toEntry = (spec: LogSourceSpec, r: LogRecord): LogEntry => ({ service: spec.name, daemon: spec.daemon, time: r.time, kind: r.kind as LogEntry['kind'], run: spec.daemon ? undefined : r.run, text: r.text });
  // A finished run gets no more lines: --previous never follows.
  const following = options.follow === true && !options.previous;
  // Read before the snapshot closes: a log already past --until is not followed.
  const passed = opened.map((o) => following && options.until !== undefined && newestTime(o.snapshot) > options.until);
  try {
    if (options.lines !== undefined) {
      const n = options.lines;
      const lists = shown.map((o) => o.snapshot.last(n, (r) => judge(o, r)).map((r) => toEntry(o.spec, r)));
      for (const entry of n > 0 ? mergeLists(lists).slice(-n) : []) emit(entry);
    } else {
      mergeStreams(shown.map((o) => filtered(o)), emit);
    }
  } finally {
    for (const o of opened) o.snapshot.close(following);
  }
  if (!following) return result;
  // --previous never follows, so no run filter here.
  const target = (spec: LogSourceSpec, live?: SnapshotFile, passed = false): FollowTarget => ({ file: spec.file, format: formatOf(spec), live, passed, emit: (r) => emit(toEntry(spec, r)) });
  const discover = options.discover && { watchDir: options.discover.watchDir, targets: () => options.discover!.sources().map((spec) => target(spec)) };
  const grep = (r: LogRecord): boolean => options.grep === undefined || options.grep.test(r.text);
  const targets = opened.map((o, i) => target(o.spec, o.snapshot.live, passed[i]));
  await followLogs(targets, { since: options.since, until: options.until, matches: grep, discover, signal: options.signal });
  return result;

  function judge(o: Opened, r: LogRecord): Verdict {
    if (options.since !== undefined && r.time < options.since) return 'stop';
    if (o.run !== null && r.run !== undefined && r.run < o.run) return 'stop';
    return matches(o.run, r) ? 'take' : 'skip';
  }
  function* filtered(o: Opened): Generator<LogEntry> {
    for (const r of o.snapshot.from(options.since)) {
      // Stored in time order: past `until`, nothing more of this log is shown.
      if (options.until !== undefined && r.time > options.until) return;
      if (matches(o.run, r)) yield toEntry(o.spec, r);
    }
  }
}

function formatOf(spec: LogSourceSpec): LogFormat<LogRecord> {
  return spec.daemon ? DAEMON_LOG_FORMAT : SERVICE_LOG_FORMAT;
}

/** The time of a snapshot's newest record; -Infinity when it has none. */
function newestTime(snapshot: LogSnapshot<LogRecord>): number {
  return snapshot.last(1, () => 'take')[0]?.time ?? -Infinity;
}

/** The newest run of a service log that has an end marker; null when none has ended. */
function lastFinishedRun(snapshot: LogSnapshot<LogRecord>): number | null {
  const [marker] = snapshot.last(1, (r) => (r.kind === 'exit' ? 'take' : 'skip'));
  return marker?.run ?? null;
}

/** Merges per-log lists (each in order) by time; ties keep the logs' order. */
function mergeLists(lists: LogEntry[][]): LogEntry[] {
  const all = lists.flatMap((list, source) => list.map((entry, i) => ({ entry, source, i })));
  all.sort((a, b) => a.entry.time - b.entry.time || a.source - b.source || a.i - b.i);
  return all.map((x) => x.entry);
}

/** Emits the entries of several ordered streams in time order (a k-way merge over their heads). */
function mergeStreams(streams: Iterator<LogEntry>[], emit: (entry: LogEntry) => void): void {
  const heads = streams.map((s) => s.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && (best < 0 || h.value.time < (heads[best]!.value as LogEntry).time)) best = i;
    }
    if (best < 0) return;
    emit(heads[best]!.value as LogEntry);
    heads[best] = streams[best]!.next();
  }
}
