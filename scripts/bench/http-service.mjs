// A service for the crash-to-ready figure: records "pid wall-ms" in STAMP,
// then serves 200 on /health at 127.0.0.1:PORT.  Usage: node http-service.mjs PORT STAMP
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, stamp] = [Number(process.argv[2]), process.argv[3]];
appendFileSync(stamp, `${process.pid} ${performance.timeOrigin + performance.now()}\n`);
createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end('ok')).listen(port, '127.0.0.1');
