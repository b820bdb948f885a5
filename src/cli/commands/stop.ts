import kitStop from '../../kit/cli/commands/stop.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { InputError } from '../../kit/errors.js';
import { serviceMutation } from '../daemon-client.js';

/** `tend stop [SERVICE...]`: the daemon and every service, or only the named services. */
export default async function stop(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  if (!names.length || args.all) {
    if (names.length) throw new InputError('--all stops whole daemons: give either service names or --all');
    return kitStop(args, ctx);
  }
  await serviceMutation(ctx, 'stopServices', names);
  return 0;
}
