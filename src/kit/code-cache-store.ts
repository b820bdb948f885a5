import { mkdirSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { unlinkQuiet, writeFileAtomic } from './state/atomic-write.js';
import { readStateBytes } from './state/state-file.js';
import { checkTrusted } from './state/trust.js';

/** The code cache files of one build of a tool, in `<state root>/.code-cache`. */
export interface CacheStore {
  /** The cache for `key`, or undefined when there is none usable (missing, untrusted, not a regular file). */
  read(key: string): Buffer | undefined;
  /** Writes the cache for `key` (best effort) and removes other builds' caches. */
  save(key: string, data: Buffer): void;
}

// V8's caches of the daemon's code are ~2 MB; anything far larger is not ours.
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

// A cache is only an optimisation: it never takes the space the state files
// need (a small or nearly full disk keeps this much free beside it).
const KEEP_FREE_BYTES = 32 * 1024 * 1024;

/**
 * The store of the build named `build` (every file name starts with it);
 * files starting with `toolPrefix` but not `build` are other builds' and go
 * at the next save.
 */
export function cacheStore(root: string, build: string, toolPrefix: string): CacheStore {
  const dir = join(root, '.code-cache');
  const fileOf = (key: string): string => join(dir, `${build}-${key}.bin`);
  return {
    read(key) {
      try {
        // The state files' read: trusted path, O_NOFOLLOW, never blocks on a FIFO, bounded.
        const read = readStateBytes(fileOf(key), { stateRoot: root, maxBytes: MAX_CACHE_BYTES });
        return read.kind === 'ok' ? read.bytes : undefined;
      } catch {
        // Untrusted or unreadable: compiled without it, as on a first run.
        return undefined;
      }
    },
    save(key, data) {
      try {
        mkdirSync(dir, { mode: 0o700, recursive: true });
        if (checkTrusted(root, dir) !== 'ok') return;
        const fs = statfsSync(dir);
        if (fs.bavail * fs.bsize < data.length + KEEP_FREE_BYTES) return;
        writeFileAtomic(fileOf(key), data, 0o600, { durable: false });
        for (const name of readdirSync(dir)) {
          if (name.startsWith(toolPrefix) && name.endsWith('.bin') && !name.startsWith(`${build}-`)) unlinkQuiet(join(dir, name));
        }
      } catch {
        // Not writable (a read-only or full disk): the next start tries again.
      }
    },
  };
}
