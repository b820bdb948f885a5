import kitStop from '../../kit/cli/commands/stop.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { serviceMutation } from '../daemon-client.js';

/** `tend stop [SERVICE...]`: the daemon and every service, or only the named services. */
export default async function stop(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  if (!names.length) return kitStop(args, ctx);
  await serviceMutation(ctx, 'stopServices', names);
  return 0;
}
