// Kept over node:http on the status path because it still pays: in a fresh
// CommonJS process, one POST round trip to a local node:http server took
// 12.0 ms over node:net against 20.8 ms with http.request (medians of 15
// alternating pairs, 2026-12-01, Node 20.20, loaded 2-core VM): ~9 ms of a
// `tend status`, loading node:http and its client machinery.
import { connect } from 'node:net';

/** What a server answered. */
export interface PostAnswer {
  status: number;
  body: string;
}

/** Options of httpPost. */
export interface PostOptions {
  /** The connection is dropped when it is silent this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Made into the error a silent connection rejects with. */
  onTimeout: () => Error;
}

/**
 * One HTTP/1.1 POST, written in one piece, on a fresh connection, closed as
 * soon as the answer is whole (or when the server closes it). Not node:http: loading it and its request machinery is ~9 ms of a
 * `tend status` (see the first comment). Reads as much of HTTP as a daemon's answers
 * need: a body sized by Content-Length, chunked, or ended by the close.
 */
export function httpPost(url: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostAnswer> {
  const target = new URL(url);
  const request =
    `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError());
    const socket = connect({ host: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(target.port || 80) });
    const chunks: Buffer[] = [];
    let failure: Error | undefined;
    let cutShort: Error | undefined;
    let done = false;
    const finish = (answer: PostAnswer | null) => {
      if (done) return;
      done = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (answer) resolve(answer);
      else reject(failure ?? cutShort ?? new Error('socket hang up'));
    };
    const fail = (err: Error) => {
      failure = err;
      socket.destroy();
    };
    const onAbort = () => fail(abortError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(options.timeoutMs, () => fail(options.onTimeout()));
    // Not end(): a server may take our half-close for a client gone away.
    // `Connection: close` makes it close once it has answered.
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A body of known length is whole: done, without waiting for the
      // server's close (nor depending on it).
      const answer = parseResponse(Buffer.concat(chunks));
      if (answer?.delimited) {
        socket.destroy();
        finish(answer.answer);
      }
    });
    socket.on('error', (err) => (cutShort = err));
    socket.once('close', () => finish(failure ? null : (parseResponse(Buffer.concat(chunks))?.answer ?? null)));
  });
}

// The last response in `raw` (1xx interim answers come first), or null when
// it is cut short; `delimited` when its length was known (else the close ends it).
function parseResponse(raw: Buffer): { answer: PostAnswer; delimited: boolean } | null {
  let rest = raw;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = rest.subarray(0, end).toString('latin1');
    rest = rest.subarray(end + 4);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    if (!status) return null;
    if (status >= 100 && status < 200) continue;
    const header = (name: string) => new RegExp(`\r\n${name}:[ \t]*([^\r\n]*)`, 'i').exec(head)?.[1]?.trim();
    let bodyBytes: Buffer | null = rest;
    let delimited = true;
    if (/chunked/i.test(header('transfer-encoding') ?? '')) bodyBytes = unchunk(rest);
    else if (header('content-length') !== undefined) {
      const length = Number(header('content-length'));
      bodyBytes = rest.length >= length ? rest.subarray(0, length) : null;
    } else delimited = false;
    return bodyBytes ? { answer: { status, body: bodyBytes.toString('utf8') }, delimited } : null;
  }
}

function unchunk(raw: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(raw.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size) || eol + 2 + size > raw.length) return null;
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}
