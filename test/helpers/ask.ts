// Asking a daemon, the way the CLI does: the kit's own client
// (src/kit/client, through tsx like the rest of the harness), so a test, a
// chaos case or a benchmark speaks the protocol tend ships, and the status
// query is the one the kit derives from its status shape, never a copy.
import { graphqlRequest, type Endpoint } from '../../src/kit/client/graphql-request.js';
import { STATUS_SELECTION } from '../../src/kit/server/status-shape.js';

/** The query `tend status` sends: the whole status shape. */
export const STATUS_QUERY = `{ status ${STATUS_SELECTION} }`;

/** Options of ask. */
export interface AskOptions {
  variables?: Record<string, unknown>;
  /** Default: the kit's answer deadline (3 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends `query` to the daemon `metadata` names (its endpoint and token); resolves with `data`, throws the kit's DaemonError. */
export function ask<T = any>(metadata: Endpoint, query: string, options: AskOptions = {}): Promise<T> {
  return graphqlRequest<T>(metadata, query, options.variables ?? {}, { timeoutMs: options.timeoutMs, signal: options.signal });
}
