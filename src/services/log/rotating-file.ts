/**
 * A log file rotated by size at line boundaries (`name.log` → `name.log.1` …
 * `name.log.<keep>`): each batch of whole lines is appended up to the last
 * line that fits, then the file is rotated and the rest goes to a new one; a
 * line longer than the limit gets a file of its own. A write the disk cut
 * short is repaired on the next one (it starts on a line of its own).
 */
import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, write } from 'node:fs';
import { dirname } from 'node:path';

/** Size-based rotation: start a new file past maxBytes, keep `keep` old ones. */
export interface LogRotation {
  maxBytes: number;
  keep: number;
}

/** Defaults: 10 MiB per file, three old files. */
export const DEFAULT_ROTATION: LogRotation = { maxBytes: 10 * 1024 * 1024, keep: 3 };

/** One rotated log file, opened on first write. */
export class RotatingFile {
  private fd: number | null = null;
  private size = 0;
  /** A write failed part-way: the file may end mid-line. */
  private checkTail = false;

  constructor(
    readonly file: string,
    readonly rotation: LogRotation = DEFAULT_ROTATION,
  ) {}

  /** How far the file is known to reach (undefined while it is not open): a reader stops there, so a write landing meanwhile is not counted twice. */
  get knownSize(): number | undefined {
    return this.fd === null ? undefined : this.size;
  }

  /** Appends `batch` (whole lines), rotating as needed; `progress` gets how much of it is in the file so far. Throws what the disk throws. */
  async write(batch: Buffer, progress: (done: number) => void): Promise<void> {
    const { maxBytes } = this.rotation;
    let offset = 0;
    while (offset < batch.length) {
      const fd = this.fd ?? this.open();
      if (this.checkTail) await this.endLine(fd);
      if (this.size + batch.length - offset <= maxBytes) {
        await writeAll(fd, batch.subarray(offset));
        this.size += batch.length - offset;
        progress(batch.length);
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
        progress(end);
      }
      if (offset < batch.length) this.rotate();
    }
  }

  /** After a failed write: closes the file; the next write reopens it (the dir may have been recreated) and ends any half line. */
  closeAfterFailure(): void {
    this.checkTail = true;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing a descriptor on a failing disk may fail too; it is gone either way.
      }
    }
    this.fd = null;
  }

  /** Closes the file (a later write reopens it). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
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
    this.close();
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
