import { graphqlRequest } from '../kit/client.js';
import type { CommandContext } from '../kit/cli/spec.js';
import { DaemonError } from '../kit/errors.js';
import { readMetadata, type Metadata } from '../kit/metadata.js';

/** The running daemon's metadata, or DaemonError NOT_RUNNING (exit 3) saying how to start it. */
export function runningDaemon(ctx: CommandContext): Metadata {
  const read = readMetadata(ctx.paths.metadataFile);
  if (read.kind === 'ok') return read.metadata;
  const why = read.kind === 'invalid' ? ` (${ctx.paths.metadataFile} is unreadable: ${read.reason})` : '';
  throw new DaemonError('NOT_RUNNING', `not running${why}; start it with '${ctx.def.name} start'`, { exitCode: 3 });
}

/** One GraphQL request to the running daemon. */
export function ask<T>(ctx: CommandContext, query: string, variables: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
  return graphqlRequest<T>(runningDaemon(ctx), query, variables, { timeoutMs, signal: ctx.signal });
}
