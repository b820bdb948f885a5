// The baseline for the status query: a bare node:http JSON endpoint that does
// the same kind of work per request as the daemon's status query (read and
// parse the JSON body, check the bearer token in constant time, build a live
// status object with memory figures, serialize it), with no framework. Its
// answer is padded with JSON whitespace to BENCH_BYTES, the length of the
// daemon's, so both put the same bytes on the wire.
// Prints {"port":N} once listening on 127.0.0.1, port 0.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const token = process.env.BENCH_TOKEN ?? 'x';
const sample = JSON.parse(process.env.BENCH_SAMPLE ?? '{}');
const bytes = Number(process.env.BENCH_BYTES ?? 0);
const sha256 = (s) => createHash('sha256').update(s).digest();
const expected = sha256(`Bearer ${token}`);
const startedAt = Date.now();
let served = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!timingSafeEqual(sha256(req.headers.authorization ?? ''), expected)) {
      res.writeHead(401).end();
      return;
    }
    const m = process.memoryUsage();
    let out = JSON.stringify({
      data: {
        status: {
          ...sample,
          pid: process.pid,
          uptimeSeconds: (Date.now() - startedAt) / 1000,
          requestsServed: ++served,
          memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
        },
      },
    });
    if (out.length < bytes) out += ' '.repeat(bytes - out.length);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
