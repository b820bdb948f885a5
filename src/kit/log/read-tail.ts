import { closeSync, openSync, readSync, fstatSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/**
 * The last `lines` lines of `file` between bytes `from` and `to` (default: the
 * whole file); [] when missing. Reads backwards in chunks, never the whole
 * file, and decodes once at the end, so a character split by a chunk stays whole.
 */
export function readTail(file: string, lines: number, from = 0, to = Infinity, chunkBytes = CHUNK_BYTES): string[] {
  if (lines <= 0) return [];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = Math.min(fstatSync(fd).size, to);
    let start = size;
    let text = Buffer.alloc(0);
    // Until the block holds lines + 1 newlines, or reaches `from`.
    while (start > from && countNewlines(text) <= lines) {
      const length = Math.min(chunkBytes, start - from);
      start -= length;
      const chunk = Buffer.alloc(length);
      readSync(fd, chunk, 0, length, start);
      text = Buffer.concat([chunk, text]);
    }
    const all = text.toString('utf8').split('\n');
    if (all[all.length - 1] === '') all.pop();
    if (start > from) all.shift(); // cut mid-line
    return all.slice(-lines);
  } finally {
    closeSync(fd);
  }
}

function countNewlines(block: Buffer): number {
  let n = 0;
  for (let i = block.indexOf(0x0a); i >= 0; i = block.indexOf(0x0a, i + 1)) n++;
  return n;
}
