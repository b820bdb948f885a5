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
