import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { isErrno } from '../errors.js';
import { checkTrusted, checkTrustedFile, type TrustOptions } from './trust.js';

/** Reading a small state file: missing and garbage are values; untrusted state throws. */
export type StateFileRead = { kind: 'missing' } | { kind: 'invalid'; reason: string } | { kind: 'ok'; text: string };

/** Reading a state file's bytes (a binary file such as a code cache). */
export type StateBytesRead = { kind: 'missing' } | { kind: 'invalid'; reason: string } | { kind: 'ok'; bytes: Buffer };

/** Options of readStateFile. */
export interface StateFileOptions extends TrustOptions {
  /** The state root; default: two levels up (`<root>/<instance>/<file>`). */
  stateRoot?: string;
  /** Bigger files are refused as invalid, never read whole. */
  maxBytes?: number;
}

/**
 * Reads a file of the instance dir after checking the dirs from the state root
 * down (checkTrusted) and the opened file itself: a symlink or a non-regular
 * file in its place is garbage left there (invalid), never followed or waited
 * on; one owned by another user throws UnsafeStateError.
 */
export function readStateFile(file: string, options: StateFileOptions = {}): StateFileRead {
  const read = readStateBytes(file, options);
  return read.kind === 'ok' ? { kind: 'ok', text: read.bytes.toString('utf8') } : read;
}

/** readStateFile's checks, giving the bytes as they are. */
export function readStateBytes(file: string, options: StateFileOptions = {}): StateBytesRead {
  const root = options.stateRoot ?? dirname(dirname(file));
  if (checkTrusted(root, dirname(file), options) === 'missing') return { kind: 'missing' };
  let fd: number;
  try {
    // O_NOFOLLOW: a planted symlink is refused; O_NONBLOCK: a FIFO never blocks the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { kind: 'missing' };
    if (isErrno(err, 'ELOOP')) return { kind: 'invalid', reason: 'it is a symbolic link' };
    return { kind: 'invalid', reason: `it cannot be read (${(err as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { kind: 'invalid', reason: 'it is a directory' };
    if (!st.isFile()) return { kind: 'invalid', reason: 'it is not a regular file' };
    checkTrustedFile(file, st, options);
    const max = options.maxBytes ?? 1024 * 1024;
    if (st.size > max) return { kind: 'invalid', reason: `it is ${st.size} bytes, over ${max}` };
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { kind: 'ok', bytes: buf.subarray(0, got) };
  } catch (err) {
    if ((err as { code?: string }).code === 'STATE_UNSAFE') throw err;
    return { kind: 'invalid', reason: `it cannot be read (${(err as Error).message})` };
  } finally {
    closeSync(fd);
  }
}
