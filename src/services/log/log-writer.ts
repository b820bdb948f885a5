/**
 * A service's log file: its stdout and stderr appended as whole lines, each
 * stamped with its capture time, run and stream (log-format.ts), plus a
 * marker at each run's start and end; batched into few writes, rotated by
 * size at line boundaries (rotating-file.ts), and with backpressure:
 * when the disk falls behind, the child's pipes are paused, not buffered.
 * When the disk fails (full, EIO), output is dropped and counted instead
 * (WriteGate: no write is even tried until the retry is due), so the
 * service never blocks and the daemon never spins; writing resumes by itself.
 */
import type { Readable } from 'node:stream';
import { LineSplitter } from './line-splitter.js';
import { lastRunIn, linePrefix, stampBlock } from './log-format.js';
import { outputLines, readLastLines, readTailText } from './tail-lines.js';
import { pollUntil } from '../../kit/poll.js';
import { countLines, describeOutage, WriteGate, type WriteGateOptions } from '../../kit/log/write-gate.js';
import { DEFAULT_ROTATION, RotatingFile, type LogRotation } from './rotating-file.js';

export { DEFAULT_ROTATION, type LogRotation } from './rotating-file.js';

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
  private readonly out: RotatingFile;
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

  constructor(
    readonly file: string,
    private readonly rotation: LogRotation = DEFAULT_ROTATION,
    private readonly onError: (message: string) => void = () => {},
    private readonly clock: () => number = Date.now,
    retry?: WriteGateOptions,
  ) {
    this.gate = new WriteGate(retry);
    this.out = new RotatingFile(file, rotation);
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
    this.out.close();
  }

  /** The last `count` output lines logged (without their stamps), including those not yet written. */
  tail(count: number): string[] {
    const pending = [this.inflight?.subarray(this.inflightDone) ?? Buffer.alloc(0), ...this.queue];
    const unwritten = outputLines(Buffer.concat(pending).toString('utf8').split('\n'));
    // Read the file only as far as our own accounting, so a write landing meanwhile is not counted twice.
    const limit = this.out.knownSize;
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
      await this.out.write(batch, (done) => (this.inflightDone = done));
    } catch (err) {
      // Dropping is the lesser evil here: blocking would stall the service forever.
      this.out.closeAfterFailure();
      const lost = batch.subarray(this.inflightDone);
      if (this.gate.drop(countLines(lost), lost.length, err)) {
        this.onError(`writing ${this.file}: ${(err as Error).message}; dropping output (counted) until the disk takes writes again`);
      }
      return;
    }
    const outage = this.gate.recovered();
    if (outage) this.onError(`${this.file}: ${describeOutage(outage)}; writing again`);
  }
}
