/**
 * One log and its rotated files (`name.log.3` … `name.log.1`, `name.log`),
 * read as one stream of records without loading a file: the last N records
 * backwards in chunks, or every record from a time on, found by skipping
 * whole files by their last time and binary-searching the first file that
 * reaches it. A snapshot holds each file open, so a rotation while reading
 * loses nothing, and the newest file's descriptor goes on to the follower.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { backwardLines, forwardLines, nextLineStart } from './log-lines.js';
import type { LogFormat, LogRecord } from './log-record.js';

/** The most rotated files looked for (`name.log.1` … `name.log.<n>`). */
const MAX_ROTATED = 99;
const SEARCH_STOP_BYTES = 64 * 1024;

/** One file of a snapshot, open, with its size when the snapshot was taken. */
export interface SnapshotFile {
  path: string;
  fd: number;
  size: number;
}

/** What to do with a record while reading backwards. */
export type Verdict = 'take' | 'skip' | 'stop';

/** A log's files, open as of now (oldest first; the last is the live file, when it exists). */
export class LogSnapshot<R extends LogRecord> {
  private constructor(
    readonly file: string,
    readonly files: SnapshotFile[],
    private readonly format: LogFormat<R>,
  ) {}

  /** Opens `file` and its rotated files as they are now; missing files are simply absent. */
  static open<R extends LogRecord>(file: string, format: LogFormat<R>): LogSnapshot<R> {
    const files: SnapshotFile[] = [];
    const seen = new Set<number>();
    // Newest first while opening, so a rotation racing us can at worst show
    // us a file twice (under its next name), never skip one: the inode tells.
    for (let i = 0; i <= MAX_ROTATED; i++) {
      const path = i === 0 ? file : `${file}.${i}`;
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch {
        if (i === 0) continue;
        break;
      }
      const stat = fstatSync(fd);
      if (seen.has(stat.ino)) {
        closeSync(fd);
        continue;
      }
      seen.add(stat.ino);
      files.unshift({ path, fd, size: stat.size });
    }
    return new LogSnapshot(file, files, format);
  }

  /** The live file (`file` itself), if it existed at the snapshot. */
  get live(): SnapshotFile | undefined {
    const last = this.files.at(-1);
    return last?.path === this.file ? last : undefined;
  }

  /**
   * Records read backwards from the end, newest first, until `limit` are
   * taken or `judge` says stop; returned oldest first.
   */
  last(limit: number, judge: (record: R) => Verdict): R[] {
    const taken: R[] = [];
    if (limit <= 0) return taken;
    let untimed: string[] = []; // lines whose time is the older line's, not seen yet
    const settle = (time: number, upTo?: R): Verdict => {
      for (let i = 0; i < untimed.length; i++) {
        const record = this.format.untimed(untimed[i]!, time, upTo);
        const verdict = judge(record);
        if (verdict === 'stop') return 'stop';
        if (verdict === 'take' && taken.push(record) >= limit) return 'stop';
      }
      untimed = [];
      return 'take';
    };
    outer: for (let f = this.files.length - 1; f >= 0; f--) {
      const { fd, size } = this.files[f]!;
      for (const { text } of backwardLines(fd, size)) {
        const record = this.format.parse(text);
        if (record === null) {
          untimed.push(text);
          continue;
        }
        if (settle(record.time, record) === 'stop') break outer;
        const verdict = judge(record);
        if (verdict === 'stop') break outer;
        if (verdict === 'take' && taken.push(record) >= limit) break outer;
      }
    }
    if (untimed.length && taken.length < limit) settle(0);
    return taken.reverse();
  }

  /** Every record from the first at or after `since` (default: the start), oldest first. */
  *from(since = -Infinity): Generator<R> {
    let first = 0;
    // Whole files that end before `since` are skipped by their last record's time.
    while (first < this.files.length - 1 && (this.lastTime(this.files[first]!) ?? Infinity) < since) first++;
    let previous: R | undefined;
    for (let f = first; f < this.files.length; f++) {
      const { fd, size } = this.files[f]!;
      const start = f === first && since > -Infinity ? this.search(fd, size, since) : 0;
      for (const { text } of forwardLines(fd, start, size)) {
        const record = this.format.parse(text, previous) ?? this.format.untimed(text, previous?.time ?? 0, previous);
        previous = record;
        if (record.time >= since) yield record;
      }
    }
  }

  /** Closes every file but the live one when `keepLive`. */
  close(keepLive = false): void {
    for (const f of this.files) if (!(keepLive && f === this.live)) closeSync(f.fd);
  }

  private lastTime(file: SnapshotFile): number | null {
    for (const { text } of backwardLines(file.fd, file.size, 16 * 1024)) {
      const record = this.format.parse(text);
      if (record !== null) return record.time;
    }
    return null;
  }

  private firstTimeFrom(fd: number, offset: number, size: number): number | null {
    for (const { text } of forwardLines(fd, offset, size, 16 * 1024)) {
      const record = this.format.parse(text);
      if (record !== null) return record.time;
    }
    return null;
  }

  // A line start at or before the first record at or after `since`: lines are
  // in time order (the writer never stamps a time before an earlier one).
  private search(fd: number, size: number, since: number): number {
    let lo = 0;
    let hi = size;
    while (hi - lo > SEARCH_STOP_BYTES) {
      const mid = Math.floor((lo + hi) / 2);
      const start = nextLineStart(fd, mid, size);
      const time = start < hi ? this.firstTimeFrom(fd, start, size) : null;
      if (time !== null && time < since) lo = start;
      else hi = mid;
    }
    return lo;
  }
}
