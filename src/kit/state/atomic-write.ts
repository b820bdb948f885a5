import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Options of writeFileAtomic. */
export interface AtomicWriteOptions {
  /**
   * fsync the data and the directory (default true). Needless for a file
   * that only matters within this boot: a crash of the process keeps the
   * rename; only a crash of the machine loses it, and then the file is stale.
   */
  durable?: boolean;
}

/**
 * Writes `data` to `file` so a reader sees either the old or the new content,
 * never a mix: a temp file in the same directory, created exclusively (a
 * planted symlink is never followed), fsynced, then renamed over the target.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600, options: AtomicWriteOptions = {}): void {
  const durable = options.durable ?? true;
  // pid + a random part only keep writers apart; 'wx' below is what makes it
  // safe. Not node:crypto: `status` reads metadata through this module.
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomHex8()}.tmp`);
  // 'wx' = O_CREAT|O_EXCL: fails instead of following anything already there.
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
    if (durable) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkQuiet(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    unlinkQuiet(tmp);
    throw err;
  }
  if (durable) fsyncDir(dirname(file));
}

// A write may take less than it was given (a disk filling up: the next
// call fails with ENOSPC): never rename a short file into place.
function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done);
}

function randomHex8(): string {
  return Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
}

/** Removes a file, ignoring that it is already gone. */
export function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or never made: both are the state we want.
  }
}

// The rename is durable only once the directory entry is; best effort, as
// some filesystems refuse fsync on a directory.
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here; the data itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
