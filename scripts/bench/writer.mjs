// Log-capture load: writes LINES numbered lines of LEN bytes to stdout as fast
// as it can (big synchronous writes), then an END line. Before the first
// write it records its wall-clock start (ms) in STAMP.
// It writes STAMP.up at launch, then starts only once the file GO exists, so the bench can start polling first.
// Usage: node writer.mjs LINES LEN STAMP GO
import { existsSync, writeFileSync, writeSync } from 'node:fs';

const [lines, len, stamp, go] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4], process.argv[5]];
const pad = 'x'.repeat(len);
const perChunk = Math.max(1, Math.floor(65536 / len));
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function writeAll(buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

// Everything is built before the go signal: the timed part is only write(2)s.
const chunks = [];
for (let i = 0; i < lines; ) {
  let s = '';
  for (let k = 0; k < perChunk && i < lines; k++, i++) {
    const head = `L${String(i).padStart(8, '0')} `;
    s += head + pad.slice(head.length + 1) + '\n';
  }
  chunks.push(Buffer.from(s));
}
chunks.push(Buffer.from(`END ${lines}\n`));

writeFileSync(`${stamp}.up`, String(process.pid));
for (let waited = 0; !existsSync(go); waited++) {
  if (waited > 120_000) process.exit(3);
  Atomics.wait(sleeper, 0, 0, 1);
}
writeFileSync(stamp, String(performance.timeOrigin + performance.now()));
for (const c of chunks) writeAll(c);
