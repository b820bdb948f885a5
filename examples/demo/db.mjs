// A tiny TCP server standing in for redis: answers each line with +PONG.
import { createServer } from 'node:net';

const port = Number(process.env.DB_PORT ?? 6390);
const server = createServer((socket) => {
  socket.on('data', () => socket.write('+PONG\r\n'));
  socket.on('error', () => {});
});
server.listen(port, '127.0.0.1', () => console.log(`db: listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
