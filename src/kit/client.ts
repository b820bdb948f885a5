import { request } from 'node:http';
import { DaemonError } from './errors.js';

/** Where and how to reach a daemon's endpoint. */
export interface Endpoint {
  endpoint: string;
  token: string;
}

/** Options of one request. */
export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Sends one GraphQL request with node:http (global fetch costs ~100 ms of
 * start-up for undici, and `status` is on the hot path). Throws DaemonError
 * UNREACHABLE when nothing answers, REQUEST_FAILED for HTTP or GraphQL errors.
 */
export function graphqlRequest<T>(
  target: Endpoint,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  const body = JSON.stringify({ query, variables });
  return new Promise<T>((resolve, reject) => {
    const req = request(
      target.endpoint,
      {
        method: 'POST',
        // No keep-alive pool: a pooled socket would hold a short-lived CLI open.
        agent: false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${target.token}`,
          'content-length': Buffer.byteLength(body),
        },
        timeout: options.timeoutMs ?? 3_000,
        signal: options.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(unreachable(target, err)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: { data?: T; errors?: { message: string }[] };
          try {
            parsed = JSON.parse(text);
          } catch {
            return reject(new DaemonError('REQUEST_FAILED', `${target.endpoint} answered HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          }
          if (parsed.errors?.length) {
            const err = new DaemonError('REQUEST_FAILED', parsed.errors.map((e) => e.message).join('; '));
            return reject(err);
          }
          if (res.statusCode !== 200 || parsed.data === undefined) {
            return reject(new DaemonError('REQUEST_FAILED', `${target.endpoint} answered HTTP ${res.statusCode}`));
          }
          resolve(parsed.data);
        });
      },
    );
    req.on('timeout', () => req.destroy(new DaemonError('UNREACHABLE', `no answer from ${target.endpoint} within ${options.timeoutMs ?? 3_000} ms`)));
    req.on('error', (err) => reject(err instanceof DaemonError ? err : unreachable(target, err)));
    req.end(body);
  });
}

function unreachable(target: Endpoint, cause: Error): DaemonError {
  return new DaemonError('UNREACHABLE', `cannot reach ${target.endpoint}: ${cause.message}`, { cause });
}
