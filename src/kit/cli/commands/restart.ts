import type { Args, CommandContext } from '../spec.js';
import { printStart, startFromArgs } from './start.js';
import { stopAndWait } from '../../lifecycle/stop-daemon.js';

/** `restart`: stop (same rules as `stop`), then start with the same flags as `start`. */
export default async function restart(args: Args, ctx: CommandContext): Promise<number> {
  const timeout = typeof args.timeout === 'number' ? args.timeout : 10;
  await stopAndWait(ctx.paths, { timeoutMs: timeout * 1000, force: Boolean(args.force), signal: ctx.signal });
  printStart(await startFromArgs(args, ctx), ctx);
  return 0;
}
