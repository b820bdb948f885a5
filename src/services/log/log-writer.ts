/**
 * A service's log file: its stdout and stderr appended as whole lines,
 * batched into few writes, rotated by size at line boundaries
 * (`name.log` → `name.log.1` … `name.log.<keep>`), and with backpressure:
 * when the disk falls behind, the child's pipes are paused, not buffered.
 */
import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, unlinkSync, write } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { LineSplitter, splitLines } from './line-splitter.js';
import { readLastLines } from './tail-lines.js';
import { pollUntil } from '../../kit/poll.js';

/** Size-based rotation: start a new file past maxBytes, keep `keep` old ones. */
export interface LogRotation {
  maxBytes: number;
  keep: number;
}

/** Defaults: 10 MiB per file, three old files. */
export const DEFAULT_ROTATION: LogRotation = { maxBytes: 10 * 1024 * 1024, keep: 3 };

/** Which pipe of the service a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/** Receives each block of whole lines (each ending in '\n') a pipe produced. */
export type BlockListener = (stream: OutputStream, block: Buffer) => void;

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

  constructor(
    readonly file: string,
    private readonly rotation: LogRotation = DEFAULT_ROTATION,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** Follows a pipe until it closes: lines go to the file, then to `onBlock`. */
  attach(stream: Readable, name: OutputStream, onBlock?: BlockListener): void {
    const splitter = new LineSplitter();
    const deliver = (block: Buffer | null): void => {
      if (block === null) return;
      this.append(block);
      onBlock?.(name, block);
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

  /** The last `count` lines logged, including those not yet written. */
  tail(count: number): string[] {
    const pending = [this.inflight?.subarray(this.inflightDone) ?? Buffer.alloc(0), ...this.queue];
    const unwritten = splitLines(Buffer.concat(pending));
    // Read the file only as far as our own accounting, so a write landing meanwhile is not counted twice.
    const limit = this.fd === null ? undefined : this.size;
    const fromFile = readLastLines(this.file, Math.max(0, count - unwritten.length), this.rotation.keep, limit);
    return [...fromFile, ...unwritten].slice(-count);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
      this.queue = [];
      this.inflight = batch;
      this.inflightDone = 0;
      try {
        await this.writeRotating(batch);
      } catch (err) {
        // Dropping is the lesser evil here: blocking would stall the service forever.
        this.onError(`writing ${this.file}: ${(err as Error).message}; ${batch.length} bytes of output lost`);
      }
      this.inflight = null;
      this.pendingBytes -= batch.length;
      if (this.pendingBytes <= LOW_WATER_BYTES) {
        for (const stream of this.paused) stream.resume();
        this.paused.clear();
      }
    }
    this.writing = null;
  }

  private async writeRotating(batch: Buffer): Promise<void> {
    const { maxBytes } = this.rotation;
    let offset = 0;
    while (offset < batch.length) {
      const fd = this.fd ?? this.open();
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

  private open(): number {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const fd = openSync(this.file, 'a', 0o600);
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
