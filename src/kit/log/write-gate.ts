/**
 * What a writer does when its storage fails (a full disk, EIO, a quota): the
 * block is dropped and counted, and further writes are not even tried until
 * a retry delay has passed (doubling up to a cap), so a full disk costs a
 * few syscalls a second, never a busy loop. The first write that succeeds
 * ends the outage, which the writer then reports once.
 */

/** A stretch of time in which writes failed, and what was lost in it. */
export interface Outage {
  lines: number;
  bytes: number;
  since: Date;
  until: Date;
  /** The first error, as `CODE: message`. */
  reason: string;
}

/** Retry timing of a WriteGate; all in milliseconds. */
export interface WriteGateOptions {
  retryMs?: number;
  maxRetryMs?: number;
  clock?: () => number;
}

/** Defaults: retry after 250 ms, doubling, at most every 2 s. */
export const DEFAULT_WRITE_RETRY = { retryMs: 250, maxRetryMs: 2_000 } as const;

/** Counts lost writes and says when the next attempt is due. */
export class WriteGate {
  /** Lines dropped since this gate was made (every outage together). */
  droppedLines = 0;
  private outage: { lines: number; bytes: number; since: number; reason: string } | null = null;
  private retryAt = 0;
  private delayMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly clock: () => number;

  constructor(options: WriteGateOptions = {}) {
    this.retryMs = options.retryMs ?? DEFAULT_WRITE_RETRY.retryMs;
    this.maxRetryMs = options.maxRetryMs ?? DEFAULT_WRITE_RETRY.maxRetryMs;
    this.clock = options.clock ?? Date.now;
    this.delayMs = this.retryMs;
  }

  /** True when a write may be tried now: no outage, or its retry is due. */
  get open(): boolean {
    return this.outage === null || this.clock() >= this.retryAt;
  }

  /** The error of the outage in progress, or null when writes work. */
  get failing(): string | null {
    return this.outage?.reason ?? null;
  }

  /**
   * Counts a block that was not written. With the error that refused it, it
   * (re)starts the wait before the next attempt; returns true when this
   * error began a new outage (worth one log line).
   */
  drop(lines: number, bytes: number, err?: unknown): boolean {
    this.droppedLines += lines;
    const began = this.outage === null;
    this.outage ??= { lines: 0, bytes: 0, since: this.clock(), reason: describeError(err) };
    this.outage.lines += lines;
    this.outage.bytes += bytes;
    if (err !== undefined) {
      this.retryAt = this.clock() + this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, this.maxRetryMs);
    }
    return began && err !== undefined;
  }

  /** A write succeeded: ends the outage in progress and returns it (null when there was none). */
  recovered(): Outage | null {
    const o = this.outage;
    if (o === null) return null;
    this.outage = null;
    this.delayMs = this.retryMs;
    return { lines: o.lines, bytes: o.bytes, since: new Date(o.since), until: new Date(this.clock()), reason: o.reason };
  }
}

/** `1,234 line(s) (56.7 kB) could not be written between 10:00:01 and 10:00:09 (ENOSPC: no space left on device)`. */
export function describeOutage(o: Outage): string {
  const size = o.bytes >= 1e6 ? `${(o.bytes / 1e6).toFixed(1)} MB` : `${(o.bytes / 1000).toFixed(1)} kB`;
  return `${o.lines.toLocaleString('en-US')} line(s) (${size}) could not be written between ${o.since.toISOString()} and ${o.until.toISOString()} (${o.reason})`;
}

/** How many lines a block holds: its newlines, plus one for an unterminated tail. */
export function countLines(block: Buffer | string): number {
  const buf = typeof block === 'string' ? Buffer.from(block) : block;
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return buf.length > 0 && buf[buf.length - 1] !== 0x0a ? n + 1 : n;
}

function describeError(err: unknown): string {
  if (err === undefined) return 'unknown error';
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  // Node's message starts with the code already ("ENOSPC: no space left on device, write").
  return (e?.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message).replace(/, (write|open)$/, '');
}
