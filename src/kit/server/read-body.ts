import type { IncomingMessage } from 'node:http';

/**
 * Reads a request's whole body as text. Given to yoga as `req.body` (the
 * body-parser convention @whatwg-node/server understands), a JSON request
 * skips the stream plumbing it would set up per request (a pipeline, an
 * AbortController aborted with a DOMException, web streams): about a sixth of
 * a status query's cost. listen() has already capped the body's size.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

/**
 * What to hand @whatwg-node/server as `req.body` for a JSON body: the parsed
 * object when it is a non-empty object, else the text itself (yoga then
 * answers bad JSON, an empty object or an array exactly as it would have).
 */
export function parsedBody(text: string): string | Record<string, unknown> {
  // The adapter tests `Object.keys(body).length` before anything else: for a
  // string that is one key per character (~9 µs of a ~90 µs status query,
  // measured in-process). An object has a key or three, and its `json()`
  // then returns it as is, so yoga never parses the body a second time.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return text;
  for (const _ in value) return value as Record<string, unknown>;
  return text;
}
