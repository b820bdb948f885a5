/**
 * Which configuration file a daemon loaded, and what it held: `start` with a
 * daemon already running compares it with the file on disk now and says when
 * it changed (suggesting `tend reload`). No parser imports: the CLI reads this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The configuration a daemon loaded: its file (null: none) and the sha256 of its bytes. */
export interface ConfigSource {
  file: string | null;
  sha256: string | null;
}

/** sha256 (hex) of a configuration file's text (UTF-8, without a BOM: as the loader parses it). */
export function fingerprint(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** How the configuration on disk differs from what the daemon loaded, in words; null when it does not. */
export function configDrift(loaded: ConfigSource, projectDir: string, names: readonly string[]): string | null {
  if (loaded.file === null) {
    const found = names.map((n) => path.join(projectDir, n)).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
    return found ? `${path.basename(found)} was created since the daemon started (it runs with no services)` : null;
  }
  const shown = path.relative(projectDir, loaded.file) || loaded.file;
  let text: string;
  try {
    text = fs.readFileSync(loaded.file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return `${shown} was removed since the daemon loaded it`;
  }
  return fingerprint(text) === loaded.sha256 ? null : `${shown} changed since the daemon loaded it`;
}
