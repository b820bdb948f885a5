import { startDaemon, type StartResult } from '../../lifecycle/start-daemon.js';
import { chooseEndpoint, waitTimeoutMs } from '../endpoint-flags.js';
import { paint, runningLines, stateJson } from '../format.js';
import type { Args, CommandContext } from '../spec.js';
import { daemonEnv } from '../../lifecycle/daemon-args.js';
import { answerTimeoutMs } from '../../client/deadline.js';

/** `start`: spawn the daemon detached and wait until it is ready (or say why not). */
export default async function start(args: Args, ctx: CommandContext): Promise<number> {
  const result = await startFromArgs(args, ctx);
  printStart(result, ctx);
  return 0;
}

/** The part of `start` other commands reuse (restart, a tool's own start). */
export async function startFromArgs(args: Args, ctx: CommandContext): Promise<StartResult> {
  const timeout = waitTimeoutMs(args);
  const endpoint = await chooseEndpoint(args, ctx);
  return startDaemon({
    name: ctx.def.name,
    paths: ctx.paths,
    daemonArgs: ctx.daemonArgs(endpoint),
    env: daemonEnv(ctx.def.name, ctx.env),
    waitTimeoutMs: timeout,
    answerTimeoutMs: answerTimeoutMs(ctx.def.name, ctx.env),
    extraSelection: ctx.extensions.status?.selection,
    reap: ctx.def.reap,
    signal: ctx.signal,
  });
}

/** Prints what `start` did. */
export function printStart(result: StartResult, ctx: CommandContext): void {
  const ext = ctx.extensions.status;
  if (ctx.json) {
    ctx.out(JSON.stringify({ ...stateJson(result.daemon, ext), alreadyRunning: result.alreadyRunning }) + '\n');
    return;
  }
  const what = result.alreadyRunning ? 'already running' : paint(ctx.color, 'green', 'started');
  ctx.out(`${ctx.def.name}: ${what} (pid ${result.daemon.live.pid})\n`);
  ctx.out(runningLines(ctx.def.name, result.daemon, ctx.color, ext).join('\n') + '\n');
}
