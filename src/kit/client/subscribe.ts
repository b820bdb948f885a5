import { request } from 'node:http';
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { answerError, type Endpoint, type GraphQLErrorShape } from './graphql-request.js';
import { DaemonError } from '../errors.js';
import { ANSWER_TIMEOUT_MS } from './deadline.js';

/** Largest SSE event accepted; a status or service event is a few hundred bytes. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * Runs a GraphQL subscription over SSE (yoga's "distinct connections" mode)
 * and calls `onData` with each result's `data`, until the server completes
 * it, the connection ends, or `signal` aborts. Resolves with why it ended;
 * rejects (BAD_EVENT) on an event that is not a GraphQL result, and with the
 * daemon's own error (its code kept) when the result carries errors.
 */
export function subscribe<T>(
  target: Endpoint,
  query: string,
  onData: (data: T) => void,
  signal: AbortSignal,
  options: { answerTimeoutMs?: number } = {},
): Promise<'completed' | 'closed' | 'aborted'> {
  const body = JSON.stringify({ query });
  const answerMs = options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return resolve('aborted');
    let settled = false;
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
    const settle = (outcome: { ended: 'completed' | 'closed' | 'aborted' } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(silent);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.ended);
    };
    const onAbort = (): void => settle({ ended: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });
    // Only the answer's head has a deadline: the stream itself is quiet between events.
    const silent = setTimeout(() => {
      settle({ error: new DaemonError('NOT_ANSWERING', `no answer from ${target.endpoint} within ${answerMs / 1000} s`) });
    }, answerMs);
    req.on('error', (err) => {
      if (signal.aborted) return settle({ ended: 'aborted' });
      settle({ error: new DaemonError('UNREACHABLE', `subscription to ${target.endpoint} failed: ${err.message}`, { cause: err }) });
    });
    req.on('response', (res) => {
      clearTimeout(silent);
      if (res.statusCode !== 200) {
        res.resume();
        return settle({ error: new DaemonError('REQUEST_FAILED', `${target.endpoint} answered HTTP ${res.statusCode} to the subscription`) });
      }
      const badEvent = (why: string, cause?: unknown): void =>
        settle({ error: new DaemonError('BAD_EVENT', `${target.endpoint} sent a subscription event that is not a GraphQL result: ${why}`, { cause }) });
      const parser = createParser({
        maxBufferSize: MAX_EVENT_BYTES,
        onEvent: (event) => {
          if (settled) return;
          const result = readEvent<T>(event);
          if (result.kind === 'skip') return;
          if (result.kind === 'complete') return settle({ ended: 'completed' });
          if (result.kind === 'bad') return badEvent(result.why);
          if (result.errors?.length) return settle({ error: answerError(result.errors) });
          if (result.data != null) onData(result.data);
        },
        // Unknown fields are ignored, as the SSE spec says; an event past the cap is not.
        onError: (err: ParseError) => {
          if (err.type === 'max-buffer-size-exceeded') badEvent(`an event is over ${MAX_EVENT_BYTES} bytes`, err);
        },
      });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        try {
          parser.feed(chunk);
        } catch (err) {
          // onData threw: the caller's bug, reported as the subscription's error.
          settle({ error: err as Error });
        }
      });
      res.on('end', () => settle({ ended: 'closed' }));
      res.on('error', () => settle({ ended: signal.aborted ? 'aborted' : 'closed' }));
    });
    req.end(body);
  });
}

type EventRead<T> =
  | { kind: 'complete' }
  | { kind: 'skip' }
  | { kind: 'bad'; why: string }
  | { kind: 'result'; data?: T | null; errors?: GraphQLErrorShape[] };

// One SSE event as yoga sends them: `next` (or unnamed) with a JSON result, `complete` to end.
function readEvent<T>(event: EventSourceMessage): EventRead<T> {
  if (event.event === 'complete') return { kind: 'complete' };
  // Other event types are not results (and may come from a newer server): skipped.
  if (event.event !== undefined && event.event !== 'next' && event.event !== 'message') return { kind: 'skip' };
  if (event.data === '') return { kind: 'skip' };
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    return { kind: 'bad', why: `its data is not JSON (${JSON.stringify(event.data.slice(0, 80))})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'bad', why: 'its data is not a JSON object' };
  const { data, errors } = value as { data?: T | null; errors?: unknown };
  if (errors !== undefined && !(Array.isArray(errors) && errors.every((e) => typeof e?.message === 'string'))) return { kind: 'bad', why: 'its "errors" is not a list of errors' };
  if (data === undefined && errors === undefined) return { kind: 'bad', why: 'it has neither "data" nor "errors"' };
  return { kind: 'result', data, errors: errors as GraphQLErrorShape[] | undefined };
}
