import kitRestart from '../../kit/cli/commands/restart.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { serviceMutation } from '../daemon-client.js';

/** `tend restart [SERVICE...]`: the daemon (stop, then start with the same flags), or only the named services. */
export default async function restart(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  if (!names.length) return kitRestart({ ...args, 'wait-timeout': args['wait-timeout'] ?? 10 }, ctx);
  await serviceMutation(ctx, 'restartServices', names);
  return 0;
}
