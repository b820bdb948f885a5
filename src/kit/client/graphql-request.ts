import { DaemonError, type ErrorCode } from '../errors.js';
import { ANSWER_TIMEOUT_MS } from './deadline.js';
import { httpPost, type PostAnswer } from './http-post.js';

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
 * Sends one GraphQL request (see httpPost: not node:http, whose loading costs
 * `status` ~6 ms; not global fetch, whose undici costs ~100 ms). Throws
 * DaemonError UNREACHABLE when the connection fails, NOT_ANSWERING when it
 * is taken but silent past the deadline, REQUEST_FAILED for HTTP or GraphQL errors.
 */
export async function graphqlRequest<T>(
  target: Endpoint,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? ANSWER_TIMEOUT_MS;
  let answer: PostAnswer;
  try {
    answer = await httpPost(
      target.endpoint,
      { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${target.token}` },
      JSON.stringify({ query, variables }),
      {
        timeoutMs,
        signal: options.signal,
        onTimeout: () => new DaemonError('NOT_ANSWERING', `no answer from ${target.endpoint} within ${formatSeconds(timeoutMs)}`),
      },
    );
  } catch (err) {
    throw err instanceof DaemonError ? err : unreachable(target, err as Error);
  }
  let parsed: { data?: T; errors?: GraphQLErrorShape[] };
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    throw new DaemonError('REQUEST_FAILED', `${target.endpoint} answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
  }
  if (parsed.errors?.length) throw answerError(parsed.errors);
  if (answer.status !== 200 || parsed.data === undefined) {
    throw new DaemonError('REQUEST_FAILED', `${target.endpoint} answered HTTP ${answer.status}`);
  }
  return parsed.data;
}

function unreachable(target: Endpoint, cause: Error): DaemonError {
  return new DaemonError('UNREACHABLE', `cannot reach ${target.endpoint}: ${cause.message}`, { cause });
}

/** An error as a GraphQL answer carries it. */
export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: unknown };
}

/** The daemon's own errors keep their code on this side (else REQUEST_FAILED). */
export function answerError(errors: GraphQLErrorShape[]): DaemonError {
  const code = errors.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code as ErrorCode | undefined;
  return new DaemonError(code ?? 'REQUEST_FAILED', errors.map((e) => e.message).join('; '));
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
