import { DaemonError } from '../errors.js';
import { localState, type LocalState } from '../lifecycle/liveness.js';
import type { Metadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';
import { answerTimeoutMs } from './deadline.js';
import { graphqlRequest } from './graphql-request.js';

/** Which daemon a command asks, and on whose behalf. */
export interface DaemonTarget {
  /** The tool's name, for messages (`tend stop --force`). */
  name: string;
  paths: InstancePaths;
  /** Read for `<NAME>_ANSWER_TIMEOUT`. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Options of askDaemon. */
export interface AskOptions {
  /**
   * Time the daemon may spend working before it answers (a stop that waits
   * for services to exit). A quick ping first proves it is answering at all;
   * then the request gets the answer deadline plus this much.
   */
  workMs?: number;
}

/**
 * The one way a command asks its daemon: checks the files and /proc first
 * (not running or stale: exit 3, unknown: 4, each with what to do), then
 * sends the request with a short deadline, so a stopped or wedged daemon is
 * reported as not answering within seconds (exit 4).
 */
export async function askDaemon<T>(target: DaemonTarget, query: string, variables: Record<string, unknown> = {}, options: AskOptions = {}): Promise<T> {
  const metadata = daemonToAsk(target);
  const answerMs = answerTimeoutMs(target.name, target.env);
  try {
    if (options.workMs) {
      const ping = await graphqlRequest<{ status: { instanceId: string } }>(metadata, '{ status { instanceId } }', {}, { timeoutMs: answerMs, signal: target.signal });
      if (ping.status.instanceId !== metadata.instanceId) {
        throw new DaemonError('STATE_UNKNOWN', `${metadata.endpoint} answers for another daemon than pid ${metadata.pid}; see '${target.name} status'`);
      }
    }
    return await graphqlRequest<T>(metadata, query, variables, { timeoutMs: answerMs + (options.workMs ?? 0), signal: target.signal });
  } catch (err) {
    throw explain(target, metadata, err);
  }
}

/**
 * A subscription to the daemon (see subscribe), with askDaemon's checks and
 * messages: the answer's head has the same deadline. Resolves with why it ended.
 */
export async function subscribeDaemon<T>(target: DaemonTarget & { signal: AbortSignal }, query: string, onData: (data: T) => void): Promise<'completed' | 'closed' | 'aborted'> {
  const metadata = daemonToAsk(target);
  // node:http loads only for the commands that watch.
  const { subscribe } = await import('./subscribe.js');
  try {
    return await subscribe<T>(metadata, query, onData, target.signal, { answerTimeoutMs: answerTimeoutMs(target.name, target.env) });
  } catch (err) {
    throw explain(target, metadata, err);
  }
}

/** The metadata of a daemon whose process is alive, or the DaemonError that says why there is none to ask. */
export function daemonToAsk(target: DaemonTarget): Metadata {
  const local = localState(target.paths);
  if (local.state === 'alive') return local.metadata;
  throw notAskable(target.name, local);
}

/** The error for a daemon that is not there to ask: not running or stale (exit 3), unknown (exit 4). */
export function notAskable(name: string, local: Exclude<LocalState, { state: 'alive' }>): DaemonError {
  switch (local.state) {
    case 'stopped':
      return new DaemonError('NOT_RUNNING', `not running; start it with '${name} start'`);
    case 'stale':
      return new DaemonError('STALE', `not running: stale state (${local.reason}); '${name} start' replaces it, '${name} stop' cleans it up`);
    case 'unknown':
      return new DaemonError('STATE_UNKNOWN', `state unknown: ${local.reason}; see '${name} status'`);
  }
}

// A failed request, said in terms of the daemon: it died meanwhile, it is not
// answering, or its endpoint refuses while its process lives.
function explain(target: DaemonTarget, metadata: Metadata, err: unknown): unknown {
  if (!(err instanceof DaemonError) || (err.code !== 'UNREACHABLE' && err.code !== 'NOT_ANSWERING')) return err;
  const now = localState(target.paths);
  if (now.state !== 'alive') return notAskable(target.name, now);
  const what = err.code === 'NOT_ANSWERING' ? 'is not answering' : 'is alive but its endpoint refuses connections';
  const cause = err.message;
  return new DaemonError(
    'NOT_ANSWERING',
    `the daemon (pid ${metadata.pid}) ${what} (${cause}); it may be stopped (SIGSTOP) or stuck: '${target.name} stop --force' ends it`,
    { cause: err },
  );
}
