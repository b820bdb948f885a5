import { askDaemon, daemonToAsk, type AskOptions } from '../kit/client/ask-daemon.js';
import type { CommandContext } from '../kit/cli/spec.js';
import type { Metadata } from '../kit/state/metadata.js';
import { SERVICE_SELECTION } from '../daemon/service-shape.js';
import type { ServiceInfo } from '../services/types.js';

/**
 * How long a mutation may work before it answers: stopping services waits on
 * their stop_timeout (10 s each by default, dependents first). A stopped
 * daemon is still caught within seconds, by the ping askDaemon sends first.
 */
export const SERVICE_WORK_MS = 5 * 60_000;

/** The running daemon's metadata, or the DaemonError saying why there is none (not running or stale: exit 3). */
export function runningDaemon(ctx: CommandContext): Metadata {
  return daemonToAsk(daemonTarget(ctx));
}

/** One GraphQL request to the running daemon, with the answer deadline (see askDaemon). */
export function ask<T>(ctx: CommandContext, query: string, variables: Record<string, unknown> = {}, options: AskOptions = {}): Promise<T> {
  return askDaemon<T>(daemonTarget(ctx), query, variables, options);
}

function daemonTarget(ctx: CommandContext) {
  return { name: ctx.def.name, paths: ctx.paths, env: ctx.env, signal: ctx.signal };
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
    { workMs: SERVICE_WORK_MS },
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
