import { mkdirSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { unlinkQuiet, writeFileAtomic } from './state/atomic-write.js';
import { readStateBytes } from './state/state-file.js';
import { checkTrusted } from './state/trust.js';

/** The code cache files of one build of a tool, in `<state root>/.code-cache`. */
export interface CacheStore {
  /**
   * The cache for `key`; 'corrupt' when one is there whose header or checksum
   * does not match; undefined when there is none usable (missing, untrusted,
   * not a regular file).
   */
  read(key: string): Buffer | 'corrupt' | undefined;
  /** Writes the cache for `key` (best effort) and removes other builds' caches. */
  save(key: string, data: Buffer): void;
}

// V8's caches of the daemon's code are ~2 MB; anything far larger is not ours.
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

// A cache is only an optimisation: it never takes the space the state files
// need (a small or nearly full disk keeps this much free beside it).
const KEEP_FREE_BYTES = 32 * 1024 * 1024;

// V8 checks a cache's header (version, flags, source and payload length) but
// not its payload: one flipped bit aborts the process in the deserializer
// ("Fatal error … Check failed"), and every later command with it. So each
// file is `TCC1`, the payload's CRC-32 and length, then the payload; zlib's
// native crc32 reads 300 KB in ~0.2 ms (loading zlib costs ~1 ms once the
// socket's streams are loaded).
const MAGIC = 0x31434354; // "TCC1", little-endian
const HEADER_BYTES = 12;

/** The payload of a cache file, or undefined when its header or checksum does not match. */
export function unframe(file: Buffer): Buffer | undefined {
  if (file.length < HEADER_BYTES || file.readUInt32LE(0) !== MAGIC) return undefined;
  const payload = file.subarray(HEADER_BYTES);
  if (file.readUInt32LE(8) !== payload.length || file.readUInt32LE(4) !== crc32(payload)) return undefined;
  return payload;
}

/** A cache file for `payload`: header, then the payload. */
export function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(crc32(payload), 4);
  header.writeUInt32LE(payload.length, 8);
  return Buffer.concat([header, payload]);
}

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
        return read.kind === 'ok' ? (unframe(read.bytes) ?? 'corrupt') : undefined;
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
        writeFileAtomic(fileOf(key), frame(data), 0o600, { durable: false });
        for (const name of readdirSync(dir)) {
          if (name.startsWith(toolPrefix) && name.endsWith('.bin') && !name.startsWith(`${build}-`)) unlinkQuiet(join(dir, name));
        }
      } catch {
        // Not writable (a read-only or full disk): the next start tries again.
      }
    },
  };
}
