import kitRestart from '../../kit/cli/commands/restart.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { SERVICE_SELECTION } from '../../app/service-shape.js';
import type { ServiceInfo } from '../../services/types.js';
import { ask } from '../daemon-client.js';

/** `tend restart [SERVICE...]`: the daemon (stop, then start with the same flags), or only the named services. */
export default async function restart(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  if (!names.length) return kitRestart({ ...args, 'wait-timeout': args['wait-timeout'] ?? 10 }, ctx);
  const { restartServices } = await ask<{ restartServices: ServiceInfo[] }>(
    ctx,
    `mutation ($names: [String!]) { restartServices(names: $names) ${SERVICE_SELECTION} }`,
    { names },
  );
  // The table (cli-table3) only on this branch: the daemon's own start/stop must not load it.
  const { servicesTable } = await import('../service-format.js');
  ctx.out(ctx.json ? JSON.stringify({ services: restartServices }) + '\n' : servicesTable(restartServices, ctx.color));
  return 0;
}
