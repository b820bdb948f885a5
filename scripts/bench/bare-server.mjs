// The baseline for the status query: a bare node:http JSON endpoint that does
// the same kind of work per request (parse the JSON body, check the bearer
// token, build a status object with live memory figures, serialize it).
// Prints {"port":N} once listening on 127.0.0.1, port 0.
import { createServer } from 'node:http';

const token = process.env.BENCH_TOKEN ?? 'x';
const sample = JSON.parse(process.env.BENCH_SAMPLE ?? '{}');
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
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    const m = process.memoryUsage();
    const out = JSON.stringify({
      data: {
        status: {
          ...sample,
          pid: process.pid,
          uptimeSeconds: process.uptime(),
          requestsServed: ++served,
          memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
        },
      },
    });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
