import { closeSync, fstatSync, openSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Options of followFile. */
export interface FollowOptions {
  /** Byte offset to start from; default: the current end. */
  from?: number;
  /** The file already open (a reader's snapshot): followed from `from`, then whatever replaces it. */
  fd?: number;
  signal: AbortSignal;
  /** Safety-net poll, for filesystems where watch events are missed. */
  pollMs?: number;
}

/**
 * Calls `onText` with whatever is appended to `file` until `signal` aborts.
 * Survives the file not existing yet, being replaced (rotation: the rest of
 * the old file is read first, then each file rotated after it, from its
 * start, up to the live one) and being truncated. Woken by fs.watch on the directory, with a slow poll behind it.
 */
export function followFile(file: string, onText: (text: string) => void, options: FollowOptions): Promise<void> {
  let fd: number | null = options.fd ?? null;
  let ino = fd === null ? -1 : fstatSync(fd).ino;
  let pos = options.from ?? (fd === null ? sizeOf(file) : fstatSync(fd).size);
  const buf = Buffer.alloc(64 * 1024);
  const decoderHold: Buffer[] = [];

  const drain = () => {
    for (;;) {
      if (fd === null) {
        try {
          fd = openSync(file, 'r');
          ino = fstatSync(fd).ino;
        } catch {
          return;
        }
      }
      readToEnd(fd);
      let current: number;
      try {
        current = statSync(file).ino;
      } catch {
        return; // removed: keep reading the old fd until a new file appears
      }
      if (current === ino) return;
      // Replaced (rotated): what was written to the old file before the rename
      // may have landed after the read above, so read it to its end again.
      readToEnd(fd);
      closeSync(fd);
      fd = null;
      pos = 0;
      // Several rotations may have passed since: go on with the file rotated
      // right after ours (`file.k-1` when ours is now `file.k`), not the newest.
      const next = successor(file, ino);
      if (next === file) continue;
      try {
        fd = openSync(next, 'r');
        ino = fstatSync(fd).ino;
      } catch {
        fd = null; // rotated once more meanwhile: the newest file it is
      }
    }
  };
  const readToEnd = (handle: number) => {
    const size = fstatSync(handle).size;
    if (size < pos) pos = 0; // truncated
    while (pos < size) {
      const n = readSync(handle, buf, 0, Math.min(buf.length, size - pos), pos);
      if (n <= 0) break;
      pos += n;
      emit(buf.subarray(0, n));
    }
  };
  // Hold back a split UTF-8 sequence until its end arrives.
  const emit = (chunk: Buffer) => {
    decoderHold.push(Buffer.from(chunk));
    const all = Buffer.concat(decoderHold.splice(0));
    let cut = all.length;
    for (let i = Math.max(0, all.length - 3); i < all.length; i++) {
      const b = all[i]!;
      if ((b & 0xc0) === 0xc0) {
        const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        if (i + need > all.length) cut = i;
      }
    }
    if (cut < all.length) decoderHold.push(all.subarray(cut));
    if (cut > 0) onText(all.subarray(0, cut).toString('utf8'));
  };

  return new Promise<void>((resolve) => {
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dirname(file), (_event, name) => {
        if (!name || name.toString().startsWith(basename(file))) drain();
      });
      watcher.on('error', () => {});
    } catch {
      // No watch support: the poll below does the work.
    }
    const timer = setInterval(drain, options.pollMs ?? 250);
    drain();
    const stop = () => {
      clearInterval(timer);
      watcher?.close();
      drain();
      if (fd !== null) closeSync(fd);
      resolve();
    };
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
}

/** The most rotated files looked through (`file.1` … `file.<n>`). */
const MAX_ROTATED = 99;

/**
 * The file that follows inode `ino` in `file`'s rotation: `file.k-1` (or
 * `file`) when `ino` is now `file.k`; when `ino` is gone (rotated past the
 * kept files), the oldest file left.
 */
function successor(file: string, ino: number): string {
  let oldest = file;
  for (let k = 1; k <= MAX_ROTATED; k++) {
    let at: number;
    try {
      at = statSync(`${file}.${k}`).ino;
    } catch {
      break;
    }
    if (at === ino) return k === 1 ? file : `${file}.${k - 1}`;
    oldest = `${file}.${k}`;
  }
  return oldest;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Calls `onChange` whenever `dir` changes (fs.watch, with a slow poll behind it) until `signal` aborts. */
export function watchDir(dir: string, onChange: () => void, signal: AbortSignal, pollMs = 1_000): Promise<void> {
  return new Promise<void>((resolve) => {
    let watcher: FSWatcher | undefined;
    const arm = () => {
      if (watcher !== undefined) return;
      try {
        watcher = watch(dir, () => onChange());
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined; // the dir went away: the poll re-arms it
        });
      } catch {
        // Not there yet: the poll below keeps trying.
      }
    };
    const timer = setInterval(() => {
      arm();
      onChange();
    }, pollMs);
    arm();
    onChange();
    const stop = () => {
      clearInterval(timer);
      watcher?.close();
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
