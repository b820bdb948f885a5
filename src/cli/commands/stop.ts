import kitStop from '../../kit/cli/commands/stop.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { readMetadata } from '../../kit/metadata.js';
import { SERVICE_SELECTION } from '../../app/service-shape.js';
import type { ServiceInfo } from '../../services/types.js';
import { ask } from '../daemon-client.js';

/** `tend stop [SERVICE...]`: the daemon and every service, or only the named services. */
export default async function stop(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  if (!names.length) return kitStop(args, ctx);
  if (readMetadata(ctx.paths.metadataFile).kind !== 'ok') {
    ctx.out(ctx.json ? JSON.stringify({ services: [] }) + '\n' : `${ctx.def.name}: not running\n`);
    return 0;
  }
  const { stopServices } = await ask<{ stopServices: ServiceInfo[] }>(
    ctx,
    `mutation ($names: [String!]) { stopServices(names: $names) ${SERVICE_SELECTION} }`,
    { names },
  );
  // The table (cli-table3) only on this branch: the daemon's own start/stop must not load it.
  const { servicesTable } = await import('../service-format.js');
  ctx.out(ctx.json ? JSON.stringify({ services: stopServices }) + '\n' : servicesTable(stopServices, ctx.color));
  return 0;
}
