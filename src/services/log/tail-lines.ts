/**
 * Reads the last lines of a service log without loading the whole file,
 * reaching into the newest rotated file when the current one is short.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/**
 * The last `count` lines of `file` then `file.1`…, oldest first; [] when there
 * is none. `limit` caps how many bytes of `file` itself count.
 */
export function readLastLines(file: string, count: number, rotated = 1, limit?: number): string[] {
  if (count <= 0) return [];
  const lines = tailOf(file, count, limit);
  for (let i = 1; i <= rotated && lines.length < count; i++) {
    lines.unshift(...tailOf(`${file}.${i}`, count - lines.length));
  }
  return lines;
}

function tailOf(file: string, count: number, limit = Infinity, chunkBytes = CHUNK_BYTES): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = Math.min(fstatSync(fd).size, limit);
    let start = size;
    let text = Buffer.alloc(0);
    // Read backwards until the block holds count + 1 newlines or the file's start.
    while (start > 0 && countNewlines(text) <= count) {
      const length = Math.min(chunkBytes, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      readSync(fd, chunk, 0, length, start);
      text = Buffer.concat([chunk, text]);
    }
    const lines = text.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (start > 0) lines.shift(); // cut mid-line
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}

function countNewlines(block: Buffer): number {
  let n = 0;
  for (let i = block.indexOf(0x0a); i >= 0; i = block.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** The last `bytes` of the newest non-empty file of `file`, `file.1`…`file.<rotated>`; '' when there is none. */
export function readTailText(file: string, rotated = 1, bytes = 4096): string {
  for (let i = 0; i <= rotated; i++) {
    const lines = tailOf(i === 0 ? file : `${file}.${i}`, 1, Infinity, bytes);
    if (lines.length) return lines.join('\n');
  }
  return '';
}
