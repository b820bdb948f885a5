import type { Args, CommandContext } from '../spec.js';
import { printStart, startFromArgs } from './start.js';
import { stopAndWait } from '../../lifecycle/stop-daemon.js';
import { stopTimeoutMs } from './stop.js';

/** `restart`: stop (same rules as `stop`), then start with the same flags as `start`. */
export default async function restart(args: Args, ctx: CommandContext): Promise<number> {
  const stopped = await stopAndWait(ctx.paths, { timeoutMs: stopTimeoutMs(args), force: Boolean(args.force), reap: ctx.def.reap, signal: ctx.signal });
  // What a dead daemon had left running is worth saying; the rest is start's to tell.
  if (stopped.reaped?.stopped) ctx.err(`${ctx.def.name}: ${stopped.reaped.summary}\n`);
  printStart(await startFromArgs(args, ctx), ctx);
  return 0;
}
