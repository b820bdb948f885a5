import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsedBody, readBody } from './read-body.js';

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
 * listen error itself (EADDRINUSE…), so `start` can report the real reason,
 * its message ending with what to do about it.
 */
export function listen(host: string, port: number): Promise<Listening> {
  let handler: Handler = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'the daemon is starting' }] }));
  };
  // Slow-loris: headers and body must arrive promptly, checked every second
  // (Node's default check runs every 30 s).
  let closing = false;
  const server = createServer({ connectionsCheckingInterval: 1_000, headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    // Once closing, a finished response ends its connection: clients (fetch,
    // graphql-sse) keep a completed SSE stream's socket alive, and close()
    // would wait for it until the drain deadline.
    const socket = req.socket;
    if (closing) res.setHeader('connection', 'close');
    res.once('finish', () => {
      if (closing) socket.end();
    });
    const refusal = refuse(req);
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ errors: [{ message: refusal.message }] }));
      req.destroy();
      return;
    }
    if (req.method !== 'POST') return handler(req, res);
    readBody(req).then(
      (body) => {
        if (body) (req as IncomingMessage & { body?: unknown }).body = parsedBody(body);
        handler(req, res);
      },
      () => req.destroy(), // the client went away mid-body: nobody to answer
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(withNextStep(err, host, port)));
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      const close = (drainMs: number): Promise<void> => {
        closing = true;
        return closeServer(server, drainMs);
      };
      resolve({ server, port: bound, setHandler: (h) => void (handler = h), close });
    });
  });
}

/** What to do about a listen error, appended to its message (the code stays). */
export function withNextStep(err: NodeJS.ErrnoException, host: string, port: number): NodeJS.ErrnoException {
  const next: Record<string, string> = {
    EADDRINUSE: `another process listens on port ${port}: choose another --port, or --port 0 to let the OS pick a free one`,
    EACCES: `port ${port} needs privileges: choose a port above 1023, or --port 0 to let the OS pick`,
    EADDRNOTAVAIL: `${host} is not an address of this machine: use --host 127.0.0.1 (or another local address)`,
    ENOTFOUND: `${host} does not resolve: --host takes an address of this machine, such as 127.0.0.1`,
    EAI_AGAIN: `${host} could not be resolved: --host takes an address of this machine, such as 127.0.0.1`,
  };
  const step = err.code ? next[err.code] : undefined;
  if (step) err.message = `${err.message}; ${step}`;
  return err;
}

// Refused before GraphQL sees them: oversized or unsized bodies, and any POST
// that is not JSON (form posts are how a browser page would try CSRF).
function refuse(req: IncomingMessage): { status: number; message: string } | null {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) return { status: 413, message: `request body is over ${MAX_BODY_BYTES} bytes` };
  if (req.method !== 'POST') return null;
  if (req.headers['transfer-encoding']) return { status: 411, message: 'a POST needs a Content-Length' };
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/graphql-response+json') {
    return { status: 415, message: 'a POST must be application/json' };
  }
  return null;
}

// In-flight requests end their connections as they finish (see listen); idle
// keep-alive ones go now; whatever is left at the deadline is cut.
async function closeServer(server: Server, drainMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), drainMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
