import { InputError } from '../../errors.js';
import { stopAndWait, type StopResult } from '../../lifecycle/stop-daemon.js';
import { given, type Args, type CommandContext } from '../spec.js';

/** `stop`: confirm the daemon's identity, SIGTERM, wait until it is gone; cleans stale state and what it left running. `--all`: every daemon of this user. */
export default async function stop(args: Args, ctx: CommandContext): Promise<number> {
  const timeoutMs = stopTimeoutMs(args);
  if (args.all) return (await import('./stop-all.js')).stopAll(ctx, { timeoutMs, force: Boolean(args.force) });
  const result = await stopAndWait(ctx.paths, { timeoutMs, force: Boolean(args.force), reap: ctx.def.reap, signal: ctx.signal });
  const name = ctx.def.name;
  if (ctx.json) {
    const pid = result.kind === 'stopped' ? result.pid : null;
    const extra = result.kind === 'stopped' ? { forced: result.forced } : result.kind === 'cleaned-stale' ? { reason: result.reason } : {};
    const reaped = result.reaped?.stopped ? { reaped: { processes: result.reaped.stopped, summary: result.reaped.summary } } : {};
    ctx.out(JSON.stringify({ state: 'stopped', result: result.kind, pid, ...extra, ...reaped }) + '\n');
    return 0;
  }
  ctx.out(describeStop(name, result));
  return 0;
}

/** `--timeout` in ms; undefined when not given (then the daemon's own figure decides). */
export function stopTimeoutMs(args: Args): number | undefined {
  const timeout = args.timeout;
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new InputError(`--timeout must be a number of seconds, ${given(timeout)}`);
  }
  return timeout * 1000;
}

/** The human lines of a stop: what happened to the daemon, then what it had left running. */
export function describeStop(name: string, result: StopResult): string {
  let line = `${name}: not running\n`;
  if (result.kind === 'cleaned-stale') line = `${name}: not running; removed stale state (${result.reason})\n`;
  if (result.kind === 'stopped') {
    const how = result.forced ? 'killed with SIGKILL after the timeout' : 'stopped';
    line = `${name}: ${how} (pid ${result.pid}, ${(result.waitedMs / 1000).toFixed(2)}s)\n`;
  }
  return result.reaped?.stopped ? `${line}${name}: ${result.reaped.summary}\n` : line;
}
