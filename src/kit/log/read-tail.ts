import { closeSync, openSync, readSync, fstatSync } from 'node:fs';

/** The last `lines` lines of `file` between bytes `from` and `to` (default: the whole file); [] when missing. */
export function readTail(file: string, lines: number, from = 0, to = Infinity): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = Math.min(fstatSync(fd).size, to);
    // Read backwards in chunks until enough newlines are seen.
    const chunk = 64 * 1024;
    let pos = size;
    let text = '';
    while (pos > from && text.split('\n').length <= lines + 1) {
      const start = Math.max(from, pos - chunk);
      const buf = Buffer.alloc(pos - start);
      readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8') + text;
      pos = start;
    }
    const all = text.split('\n');
    if (all[all.length - 1] === '') all.pop();
    return lines > 0 ? all.slice(-lines) : [];
  } finally {
    closeSync(fd);
  }
}
