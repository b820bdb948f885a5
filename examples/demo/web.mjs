// A small HTTP service that needs the db: /health answers once the db does.
import { createServer } from 'node:http';
import { connect } from 'node:net';

const port = Number(process.env.PORT ?? 4100);
const dbPort = Number(process.env.DB_PORT ?? 6390);

function pingDb() {
  return new Promise((resolve) => {
    const socket = connect(dbPort, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => { socket.destroy(); resolve(d.toString().startsWith('+PONG')); });
    socket.once('error', () => resolve(false));
  });
}

const server = createServer(async (req, res) => {
  if (req.url === '/health') {
    const ok = await pingDb();
    res.writeHead(ok ? 200 : 503).end(ok ? 'ok\n' : 'db down\n');
    return;
  }
  console.log(`web: ${req.method} ${req.url}`);
  res.end('hello from web\n');
});
server.listen(port, '127.0.0.1', () => console.log(`web: listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => {
  console.log('web: shutting down');
  server.close(() => process.exit(0));
});
