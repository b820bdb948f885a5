/**
 * Reads the last lines of a service log without loading the whole file,
 * reaching into the newest rotated file when the current one is short.
 */
import { readTail } from '../../kit/log/read-tail.js';
import { parseServiceLine, type ServiceLine } from './log-format.js';

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

// The kit's backwards reader: the current file up to `limit` bytes.
function tailOf(file: string, count: number, limit = Infinity, chunkBytes?: number): string[] {
  return readTail(file, count, 0, limit, chunkBytes);
}

/** The last `bytes` of the newest non-empty file of `file`, `file.1`…`file.<rotated>`; '' when there is none. */
export function readTailText(file: string, rotated = 1, bytes = 4096): string {
  for (let i = 0; i <= rotated; i++) {
    const lines = tailOf(i === 0 ? file : `${file}.${i}`, 1, Infinity, bytes);
    if (lines.length) return lines.join('\n');
  }
  return '';
}

/** The output text of stored lines (markers dropped; a line of an older format kept as is). */
export function outputLines(lines: string[]): string[] {
  const out: string[] = [];
  let previous: ServiceLine | undefined;
  for (const line of lines) {
    if (line === '') continue;
    const parsed = parseServiceLine(line, previous);
    if (parsed === null) out.push(line);
    else if (parsed.kind === 'stdout' || parsed.kind === 'stderr') out.push(parsed.text);
    previous = parsed ?? previous;
  }
  return out;
}
