import { graphqlRequest } from '../kit/client/graphql-request.js';
import type { CommandContext } from '../kit/cli/spec.js';
import { DaemonError } from '../kit/errors.js';
import { readMetadata, type Metadata } from '../kit/state/metadata.js';
import { SERVICE_SELECTION } from '../daemon/service-shape.js';
import type { ServiceInfo } from '../services/types.js';

/** The running daemon's metadata, or DaemonError NOT_RUNNING (exit 3) saying how to start it. */
export function runningDaemon(ctx: CommandContext): Metadata {
  const read = readMetadata(ctx.paths.metadataFile);
  if (read.kind === 'ok') return read.metadata;
  const why = read.kind === 'invalid' ? ` (${ctx.paths.metadataFile} is unreadable: ${read.reason})` : '';
  throw new DaemonError('NOT_RUNNING', `not running${why}; start it with '${ctx.def.name} start'`);
}

/** One GraphQL request to the running daemon. */
export function ask<T>(ctx: CommandContext, query: string, variables: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
  return graphqlRequest<T>(runningDaemon(ctx), query, variables, { timeoutMs, signal: ctx.signal });
}

/**
 * Runs one of the plural service mutations (`startServices`, `stopServices`,
 * `restartServices`) on `names` and prints the services it returns, as a
 * table or `{"services":[…]}`. Returns them for callers that go on (--wait).
 */
export async function serviceMutation(
  ctx: CommandContext,
  field: 'startServices' | 'stopServices' | 'restartServices',
  names: string[],
  print = true,
): Promise<ServiceInfo[]> {
  const data = await ask<Record<string, ServiceInfo[]>>(
    ctx,
    `mutation ($names: [String!]) { ${field}(names: $names) ${SERVICE_SELECTION} }`,
    { names },
  );
  const services = data[field] ?? [];
  if (print) await printServices(ctx, services);
  return services;
}

/** Prints services as the `ps` table, or `{"services":[…]}` with --json. */
export async function printServices(ctx: CommandContext, services: ServiceInfo[]): Promise<void> {
  if (ctx.json) return ctx.out(JSON.stringify({ services }) + '\n');
  // The table (cli-table3) loads only here: the daemon's own start/stop never print one.
  const { servicesTable } = await import('./service-format.js');
  ctx.out(servicesTable(services, ctx.color));
}
