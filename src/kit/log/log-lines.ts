/**
 * Lines of a file read in chunks, forwards or backwards, so no file is ever
 * loaded whole. Cuts on '\n' bytes: '\n' never occurs inside a UTF-8
 * sequence, so each line decodes on its own.
 */
import { readSync } from 'node:fs';

const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

/** One line and the byte offset where it starts. */
export interface FileLine {
  text: string;
  offset: number;
}

/** The lines between byte `start` (a line start) and `end`, oldest first; a last line without '\n' counts. */
export function* forwardLines(fd: number, start: number, end: number, chunkBytes = CHUNK_BYTES): Generator<FileLine> {
  let pos = start;
  let carry: Buffer | null = null;
  let carryOffset = start;
  const buf = Buffer.allocUnsafe(chunkBytes);
  while (pos < end) {
    const n = readSync(fd, buf, 0, Math.min(chunkBytes, end - pos), pos);
    if (n <= 0) break;
    let block = buf.subarray(0, n);
    if (carry !== null) block = Buffer.concat([carry, block]);
    const blockOffset = carry !== null ? carryOffset : pos;
    pos += n;
    let from = 0;
    for (let nl = block.indexOf(NEWLINE); nl >= 0; nl = block.indexOf(NEWLINE, from)) {
      yield { text: block.toString('utf8', from, nl), offset: blockOffset + from };
      from = nl + 1;
    }
    carry = from < block.length ? Buffer.from(block.subarray(from)) : null;
    carryOffset = blockOffset + from;
  }
  if (carry !== null && carry.length > 0) yield { text: carry.toString('utf8'), offset: carryOffset };
}

/** The lines before byte `end`, newest first (down to the file's start). */
export function* backwardLines(fd: number, end: number, chunkBytes = CHUNK_BYTES): Generator<FileLine> {
  let pos = end;
  let carry: Buffer | null = null; // the start of a line whose beginning is in an earlier chunk
  let skipFinalNewline = true;
  while (pos > 0) {
    const length = Math.min(chunkBytes, pos);
    pos -= length;
    const chunk = Buffer.allocUnsafe(length);
    readSync(fd, chunk, 0, length, pos);
    const block: Buffer = carry !== null ? Buffer.concat([chunk, carry]) : chunk;
    let stop = block.length;
    if (skipFinalNewline && stop > 0 && block[stop - 1] === NEWLINE) stop -= 1;
    skipFinalNewline = false;
    for (let nl = block.lastIndexOf(NEWLINE, stop - 1); nl >= 0; nl = stop > 0 ? block.lastIndexOf(NEWLINE, stop - 1) : -1) {
      yield { text: block.toString('utf8', nl + 1, stop), offset: pos + nl + 1 };
      stop = nl;
    }
    carry = Buffer.from(block.subarray(0, stop));
  }
  if (carry !== null) yield { text: carry.toString('utf8'), offset: 0 };
}

/** The offset of the first line start at or after `offset` (the end of the file when none). */
export function nextLineStart(fd: number, offset: number, end: number): number {
  if (offset <= 0) return 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  // The byte before `offset` tells whether `offset` already starts a line.
  for (let pos = offset - 1; pos < end; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
    if (n <= 0) break;
    const nl = buf.subarray(0, n).indexOf(NEWLINE);
    if (nl >= 0) return pos + nl + 1;
    pos += n;
  }
  return end;
}
