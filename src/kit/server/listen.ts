import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A node:http request handler. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Largest request body accepted; GraphQL requests to a daemon are tiny. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A bound HTTP server and how to take it down. */
export interface Listening {
  server: Server;
  port: number;
  /** Routes requests to `handler` (until then they get 503). */
  setHandler: (handler: Handler) => void;
  /** Stops accepting, lets in-flight requests finish until the deadline, then cuts the rest. */
  close: (drainMs: number) => Promise<void>;
}

/**
 * Binds an HTTP server on host:port (port 0: the OS picks). Rejects with the
 * listen error itself (EADDRINUSE…), so `start` can report the real reason.
 */
export function listen(host: string, port: number): Promise<Listening> {
  let handler: Handler = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'the daemon is starting' }] }));
  };
  const server = createServer((req, res) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES || (req.method === 'POST' && req.headers['transfer-encoding'])) {
      res.writeHead(length > MAX_BODY_BYTES ? 413 : 411, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ errors: [{ message: `request body must have a Content-Length of at most ${MAX_BODY_BYTES} bytes` }] }));
      req.destroy();
      return;
    }
    handler(req, res);
  });
  // Slow-loris: a client must send its headers and body promptly.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({ server, port: bound, setHandler: (h) => void (handler = h), close: (drainMs) => closeServer(server, drainMs) });
    });
  });
}

async function closeServer(server: Server, drainMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), drainMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
