// Raw HTTP against a daemon's endpoint: requests written byte for byte (bad
// framing, lying lengths, slow senders, exactly the headers given), so what
// is tested is the server's limits and guard, not a client library's manners.
// To ask a daemon as the CLI does, use ask.ts.
import { connect } from 'node:net';

/** Where a daemon listens and its token (from daemon.json). */
export interface RawEndpoint {
  port: number;
  token: string;
  pid: number;
  /** `127.0.0.1:PORT`, the Host a well-behaved client sends. */
  host: string;
}

/** A raw exchange's outcome. */
export interface RawAnswer {
  /** The status code, or null when no status line came. */
  status: number | null;
  /** Everything the server sent, headers included (latin1). */
  text: string;
  ms: number;
  error: string | null;
  closedByServer: boolean;
  timedOut: boolean;
}

/** Headers; a null or undefined value drops a default header. */
export type RawHeaders = Record<string, string | number | null | undefined>;

/** The endpoint a daemon.json names. */
export function rawEndpoint(metadata: Record<string, any>): RawEndpoint {
  return { port: metadata.port, token: metadata.token, pid: metadata.pid, host: `127.0.0.1:${metadata.port}` };
}

/**
 * Sends `head` (request line and headers, without the blank line) and then
 * `body`, and reads until the server closes or `timeoutMs` passes.
 */
export function rawRequest(port: number, head: string, body: string | Buffer = '', { timeoutMs = 10_000 } = {}): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let error: string | null = null;
    let done = false;
    const finish = (extra: Partial<RawAnswer>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text, ms: Date.now() - started, error, closedByServer: false, timedOut: false, ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => finish({ closedByServer: true }));
    sock.on('close', () => finish({ closedByServer: true }));
    sock.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    sock.on('connect', () => {
      sock.write(`${head}\r\n\r\n`);
      if (body.length) sock.write(body, () => {});
    });
  });
}

/** A well-formed POST /graphql with the token and a JSON body; `headers` override (null drops one). */
export function rawPost(ep: RawEndpoint, body: unknown, headers: RawHeaders = {}, opts: { timeoutMs?: number } = {}): Promise<RawAnswer> {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const h = {
    Host: ep.host,
    Authorization: `Bearer ${ep.token}`,
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    Connection: 'close',
    ...headers,
  };
  return rawRequest(ep.port, ['POST /graphql HTTP/1.1', ...headerLines(h)].join('\r\n'), payload, opts);
}

/** A GET /graphql?query=… with the token; `headers` override (null drops one). */
export function rawGet(ep: RawEndpoint, query: string, headers: RawHeaders = {}, opts: { timeoutMs?: number } = {}): Promise<RawAnswer> {
  const h = { Host: ep.host, Authorization: `Bearer ${ep.token}`, Accept: 'application/json', Connection: 'close', ...headers };
  return rawRequest(ep.port, [`GET /graphql?query=${encodeURIComponent(query)} HTTP/1.1`, ...headerLines(h)].join('\r\n'), '', opts);
}

/**
 * POSTs a GraphQL query to `url` with exactly `headers` besides the body's
 * type and length, and the URL's Host unless `headers` has one (no token
 * unless given).
 */
export async function postGraphql(url: string, query: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { port, host, pathname } = new URL(url);
  const payload = JSON.stringify({ query });
  const hasHost = Object.keys(headers).some((k) => k.toLowerCase() === 'host');
  const base = { ...(hasHost ? {} : { host }), 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), connection: 'close' };
  const head = [`POST ${pathname} HTTP/1.1`, ...headerLines({ ...base, ...headers })];
  const res = await rawRequest(Number(port), head.join('\r\n'), payload);
  if (res.status === null) throw new Error(`no answer from ${url}: ${res.error ?? (res.timedOut ? 'timed out' : 'closed')}`);
  return { status: res.status, body: bodyOf(res) ?? '' };
}

/** The body of a response (chunked encoding undone), or null when there is none. */
export function bodyOf(res: RawAnswer): string | null {
  const i = res.text.indexOf('\r\n\r\n');
  if (i < 0) return null;
  const body = Buffer.from(res.text.slice(i + 4), 'latin1');
  const decoded = /transfer-encoding: chunked/i.test(res.text.slice(0, i)) ? unchunk(body) : body;
  return decoded.toString('utf8');
}

/** The JSON body of a response, or null. */
export function jsonBody(res: RawAnswer): any {
  try {
    return JSON.parse(bodyOf(res) ?? '');
  } catch {
    return null;
  }
}

function headerLines(h: RawHeaders): string[] {
  return Object.entries(h)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${v}`);
}

function unchunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(raw.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
