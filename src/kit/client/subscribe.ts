import { request } from 'node:http';
import type { Endpoint } from './graphql-request.js';
import { DaemonError } from '../errors.js';

/**
 * Runs a GraphQL subscription over SSE (yoga's "distinct connections" mode)
 * and calls `onData` with each result's `data`, until the server completes
 * it, the connection ends, or `signal` aborts. Resolves with why it ended.
 */
export function subscribe<T>(
  target: Endpoint,
  query: string,
  onData: (data: T) => void,
  signal: AbortSignal,
): Promise<'completed' | 'closed' | 'aborted'> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve('aborted');
    const req = request(target.endpoint, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${target.token}`,
        'content-length': Buffer.byteLength(body),
      },
    });
    const onAbort = () => {
      req.destroy();
      resolve('aborted');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) return resolve('aborted');
      reject(new DaemonError('UNREACHABLE', `subscription to ${target.endpoint} failed: ${err.message}`, { cause: err }));
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new DaemonError('REQUEST_FAILED', `${target.endpoint} answered HTTP ${res.statusCode} to the subscription`));
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (event === 'complete') return finish('completed');
          if (!data) continue;
          const parsed = JSON.parse(data) as { data?: T; errors?: { message: string }[] };
          if (parsed.errors?.length) {
            req.destroy();
            return reject(new DaemonError('REQUEST_FAILED', parsed.errors.map((e) => e.message).join('; ')));
          }
          if (parsed.data) onData(parsed.data);
        }
      });
      res.on('end', () => finish('closed'));
      res.on('error', () => finish(signal.aborted ? 'aborted' : 'closed'));
    });
    const finish = (why: 'completed' | 'closed' | 'aborted') => {
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(why);
    };
    req.end(body);
  });
}
