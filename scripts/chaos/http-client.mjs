// Raw HTTP against a daemon's endpoint: requests written byte for byte (bad
// framing, lying lengths, slow senders), so the server's limits are what is
// tested, not a client library's manners.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** Port and token of the run's daemon, from its daemon.json. */
export function endpointOf(run) {
  const m = JSON.parse(readFileSync(run.file('daemon.json'), 'utf8'));
  return { port: m.port, token: m.token, pid: m.pid, host: `127.0.0.1:${m.port}` };
}

/**
 * Sends `head` (request line and headers, without the blank line) and then
 * `body` (a string or Buffer), and reads until the server closes or
 * `timeoutMs`. Resolves { status, text, closedByServer, ms, timedOut, error }.
 */
export function rawRequest(port, head, body = '', { timeoutMs = 10_000 } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const chunks = [];
    let error = null;
    let done = false;
    const finish = (extra) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text, ms: Date.now() - started, error, closedByServer: false, timedOut: false, ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => finish({ closedByServer: true }));
    sock.on('close', () => finish({ closedByServer: true }));
    sock.on('error', (err) => {
      error = err.code ?? err.message;
    });
    sock.on('connect', () => {
      sock.write(`${head}\r\n\r\n`);
      if (body.length) sock.write(body, () => {});
    });
  });
}

/** A well-formed POST /graphql with the token and a JSON body; `headers` override. */
export function post(ep, body, headers = {}, opts = {}) {
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
  const lines = Object.entries(h).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k}: ${v}`);
  return rawRequest(ep.port, ['POST /graphql HTTP/1.1', ...lines].join('\r\n'), payload, opts);
}

/** A GET /graphql?query=… with the token; `headers` override. */
export function get(ep, query, headers = {}, opts = {}) {
  const h = { Host: ep.host, Authorization: `Bearer ${ep.token}`, Accept: 'application/json', Connection: 'close', ...headers };
  const lines = Object.entries(h).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k}: ${v}`);
  return rawRequest(ep.port, [`GET /graphql?query=${encodeURIComponent(query)} HTTP/1.1`, ...lines].join('\r\n'), '', opts);
}

/** The JSON body of a response, or null. */
export function jsonBody(res) {
  const i = res.text.indexOf('\r\n\r\n');
  if (i < 0) return null;
  let body = res.text.slice(i + 4);
  if (/transfer-encoding: chunked/i.test(res.text.slice(0, i))) body = unchunk(body);
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

function unchunk(text) {
  let out = '';
  let rest = text;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    if (nl < 0) return out;
    const size = parseInt(rest.slice(0, nl), 16);
    if (!size) return out;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 4 + size);
  }
}
