import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DOTENV_FILE } from './dotenv-file.js';
import { readConfigInput } from './read-input.js';

/**
 * A fingerprint of what a configuration was read from: the file and the
 * project's `.env` (a missing file counts as empty). `start` compares the
 * running daemon's with the files on disk to say a reload is due.
 */
export function configDigest(projectDir: string, file: string | null): string {
  // Through the config reader: a FIFO or a device in a config file's place must never be waited on here.
  const read = (f: string) => {
    if (!fs.existsSync(f)) return Buffer.alloc(0);
    try {
      return Buffer.from(readConfigInput(f, 'the config file'));
    } catch (err) {
      return Buffer.from(`unreadable: ${(err as Error).message}`);
    }
  };
  const parts = [file === null ? Buffer.alloc(0) : read(file), Buffer.from('\0'), read(path.join(projectDir, DOTENV_FILE))];
  return bytesToHex(sha256(Buffer.concat(parts)));
}
