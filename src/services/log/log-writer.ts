/**
 * A service's log file: its stdout and stderr appended as whole lines, each
 * stamped with its capture time, run and stream (log-format.ts), plus a
 * marker at each run's start and end; batched into few writes, rotated by size at line boundaries
 * (`name.log` → `name.log.1` … `name.log.<keep>`), and with backpressure:
 * when the disk falls behind, the child's pipes are paused, not buffered.
 * When the disk fails (full, EIO), output is dropped and counted instead
 * (WriteGate: no write is even tried until the retry is due), so the
 * service never blocks and the daemon never spins; writing resumes by itself.
 */
import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, write } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { LineSplitter } from './line-splitter.js';
import { lastRunIn, linePrefix, parseServiceLine, stampBlock, type ServiceLine } from './log-format.js';
import { readLastLines, readTailText } from './tail-lines.js';
import { pollUntil } from '../../kit/poll.js';
import { countLines, describeOutage, WriteGate, type WriteGateOptions } from '../../kit/log/write-gate.js';

/** Size-based rotation: start a new file past maxBytes, keep `keep` old ones. */
export interface LogRotation {
  maxBytes: number;
  keep: number;
}

/** Defaults: 10 MiB per file, three old files. */
export const DEFAULT_ROTATION: LogRotation = { maxBytes: 10 * 1024 * 1024, keep: 3 };

/** Which pipe of the service a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/** Receives each block of whole raw lines (each ending in '\n') a pipe produced, with its capture time. */
export type BlockListener = (stream: OutputStream, block: Buffer, time: number) => void;

const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
/** How long close() waits for pipes still held open by a process outside the group. */
const CLOSE_WAIT_MS = 2_000;

/** Appends one service's output to its log file. */
export class LogWriter {
  private fd: number | null = null;
  private size = 0;
  private queue: Buffer[] = [];
  /** The batch being written, and how much of it is already in the file. */
  private inflight: Buffer | null = null;
  private inflightDone = 0;
  /** Bytes queued or being written. */
  private pendingBytes = 0;
  private writing: Promise<void> | null = null;
  private readonly sources = new Set<Readable>();
  private readonly paused = new Set<Readable>();
  /** The last run number used in this log (read from its tail on first use). */
  private run: number | null = null;
  /** The last stamped time: stored times never go backwards, even when the clock does. */
  private lastTime = 0;
  private readonly gate: WriteGate;
  /** A write failed part-way: the file may end mid-line. */
  private checkTail = false;

  constructor(
    readonly file: string,
    private readonly rotation: LogRotation = DEFAULT_ROTATION,
    private readonly onError: (message: string) => void = () => {},
    private readonly clock: () => number = Date.now,
    retry?: WriteGateOptions,
  ) {
    this.gate = new WriteGate(retry);
  }

  /** Lines of output that could not be written (disk full or failing) since this writer was made. */
  get droppedLines(): number {
    return this.gate.droppedLines;
  }

  /** The number of the next run of the service: one more than the last in its log, across daemon restarts. */
  nextRun(): number {
    this.run ??= lastRunIn(readTailText(this.file, this.rotation.keep));
    return ++this.run;
  }

  /** The capture time of what arrives now, never before an earlier one. */
  now(): number {
    this.lastTime = Math.max(this.lastTime, this.clock());
    return this.lastTime;
  }

  /** Follows a pipe of run `run` until it closes: lines go to the file (stamped), then to `onBlock` (raw). */
  attach(stream: Readable, name: OutputStream, onBlock?: BlockListener, run = 0): void {
    const splitter = new LineSplitter();
    let prefixTime = -1;
    let prefix = '';
    const deliver = (block: Buffer | null): void => {
      if (block === null) return;
      const time = this.now();
      if (time !== prefixTime) {
        prefixTime = time;
        prefix = linePrefix(time, run, name);
      }
      this.append(stampBlock(block, prefix));
      onBlock?.(name, block, time);
    };
    this.sources.add(stream);
    stream.on('data', (chunk: Buffer) => {
      deliver(splitter.push(chunk));
      if (this.pendingBytes > HIGH_WATER_BYTES && !this.paused.has(stream)) {
        // Stop reading: the pipe fills and the child blocks in write() until we catch up.
        this.paused.add(stream);
        stream.pause();
      }
    });
    // A trailing line without '\n' is still a line once the pipe ends.
    stream.once('end', () => deliver(splitter.end()));
    stream.once('close', () => {
      deliver(splitter.end());
      this.sources.delete(stream);
      this.paused.delete(stream);
    });
    stream.on('error', (err) => this.onError(`reading ${name} for ${this.file}: ${err.message}`));
  }

  /** Queues a block of whole lines. */
  append(block: Buffer): void {
    if (block.length === 0) return;
    // The disk refused the last write and the retry is not due: drop at once, without a syscall.
    if (!this.gate.open) return void this.gate.drop(countLines(block), block.length);
    this.queue.push(block);
    this.pendingBytes += block.length;
    this.writing ??= this.drain();
  }

  /** Resolves once everything queued so far is in the file. */
  async flush(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  /** Waits (up to `timeoutMs`) for the attached pipes to end, then flushes. */
  async settle(timeoutMs = CLOSE_WAIT_MS): Promise<void> {
    await pollUntil(() => this.sources.size === 0, { timeoutMs, intervalMs: 10 });
    await this.flush();
  }

  /** Drains the pipes (dropping any a stray process keeps open), flushes and closes the file. */
  async close(): Promise<void> {
    await this.settle();
    for (const stream of this.sources) stream.destroy();
    await this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** The last `count` output lines logged (without their stamps), including those not yet written. */
  tail(count: number): string[] {
    const pending = [this.inflight?.subarray(this.inflightDone) ?? Buffer.alloc(0), ...this.queue];
    const unwritten = outputLines(Buffer.concat(pending).toString('utf8').split('\n'));
    // Read the file only as far as our own accounting, so a write landing meanwhile is not counted twice.
    const limit = this.fd === null ? undefined : this.size;
    const fromFile: string[] = [];
    // Markers are skipped, so read a little more than asked until enough output lines are found.
    for (let want = count - unwritten.length; want > 0 && fromFile.length < count - unwritten.length; want *= 4) {
      const lines = readLastLines(this.file, want, this.rotation.keep, limit);
      fromFile.splice(0, fromFile.length, ...outputLines(lines));
      if (lines.length < want) break;
    }
    return [...fromFile, ...unwritten].slice(-count);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
      this.queue = [];
      this.inflight = batch;
      this.inflightDone = 0;
      // Queued before a failure began the retry delay: dropped with the rest.
      if (this.gate.open) await this.writeOrDrop(batch);
      else this.gate.drop(countLines(batch), batch.length);
      this.inflight = null;
      this.pendingBytes -= batch.length;
      if (this.pendingBytes <= LOW_WATER_BYTES) {
        for (const stream of this.paused) stream.resume();
        this.paused.clear();
      }
    }
    this.writing = null;
  }

  private async writeOrDrop(batch: Buffer): Promise<void> {
    try {
      await this.writeRotating(batch);
    } catch (err) {
      // Dropping is the lesser evil here: blocking would stall the service forever.
      this.closeAfterFailure();
      const lost = batch.subarray(this.inflightDone);
      if (this.gate.drop(countLines(lost), lost.length, err)) {
        this.onError(`writing ${this.file}: ${(err as Error).message}; dropping output (counted) until the disk takes writes again`);
      }
      return;
    }
    const outage = this.gate.recovered();
    if (outage) this.onError(`${this.file}: ${describeOutage(outage)}; writing again`);
  }

  private async writeRotating(batch: Buffer): Promise<void> {
    const { maxBytes } = this.rotation;
    let offset = 0;
    while (offset < batch.length) {
      const fd = this.fd ?? this.open();
      if (this.checkTail) await this.endLine(fd);
      if (this.size + batch.length - offset <= maxBytes) {
        await writeAll(fd, batch.subarray(offset));
        this.size += batch.length - offset;
        this.inflightDone = batch.length;
        return;
      }
      // Fill the file up to the last whole line that fits, then rotate.
      const room = maxBytes - this.size;
      const cut = room > 0 ? batch.lastIndexOf(0x0a, offset + room - 1) : -1;
      let end: number;
      if (cut >= offset) end = cut + 1;
      else if (this.size > 0) end = offset; // not even one line fits: rotate first
      else end = lineEnd(batch, offset); // one line longer than maxBytes: it gets a file of its own
      if (end > offset) {
        await writeAll(fd, batch.subarray(offset, end));
        this.size += end - offset;
        offset = end;
        this.inflightDone = end;
      }
      if (offset < batch.length) this.rotate();
    }
  }

  // A write cut short by the disk may have left half a line; the next one starts on a line of its own.
  private async endLine(fd: number): Promise<void> {
    const last = Buffer.alloc(1);
    if (this.size > 0 && readSync(fd, last, 0, 1, this.size - 1) === 1 && last[0] !== 0x0a) {
      await writeAll(fd, Buffer.from('\n'));
      this.size += 1;
    }
    this.checkTail = false;
  }

  private closeAfterFailure(): void {
    this.checkTail = true;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing a descriptor on a failing disk may fail too; it is gone either way.
      }
    }
    this.fd = null; // reopened (and its size re-read) by the next write, which may find the dir recreated
  }

  private open(): number {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    // a+: appending, and readable for endLine's look at the last byte.
    const fd = openSync(this.file, 'a+', 0o600);
    fchmodSync(fd, 0o600);
    this.size = fstatSync(fd).size;
    this.fd = fd;
    return fd;
  }

  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const { keep } = this.rotation;
    if (keep <= 0) ignoreMissing(() => unlinkSync(this.file));
    for (let i = keep - 1; i >= 1; i--) ignoreMissing(() => renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`));
    if (keep > 0) ignoreMissing(() => renameSync(this.file, `${this.file}.1`));
    this.open();
  }
}

/** The output text of stored lines (markers dropped; a line of an older format kept as is). */
function outputLines(lines: string[]): string[] {
  const out: string[] = [];
  let previous: ServiceLine | undefined;
  for (const line of lines) {
    if (line === '') continue;
    const parsed = parseServiceLine(line, previous);
    if (parsed === null) out.push(line);
    else if (parsed.kind === 'stdout' || parsed.kind === 'stderr') out.push(parsed.text);
    previous = parsed ?? previous;
  }
  return out;
}

function lineEnd(batch: Buffer, offset: number): number {
  const newline = batch.indexOf(0x0a, offset);
  return newline < 0 ? batch.length : newline + 1;
}

function writeAll(fd: number, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      write(fd, data, offset, data.length - offset, null, (err, written) => {
        if (err) reject(err);
        else if (offset + written < data.length) step(offset + written);
        else resolve();
      });
    };
    step(0);
  });
}

function ignoreMissing(action: () => void): void {
  try {
    action();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
