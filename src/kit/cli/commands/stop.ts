import { InputError } from '../../errors.js';
import { stopAndWait } from '../../lifecycle/stop-daemon.js';
import { given, type Args, type CommandContext } from '../spec.js';

/** `stop`: confirm the daemon's identity, SIGTERM, wait until it is gone; cleans stale state. `--all`: every daemon of this user. */
export default async function stop(args: Args, ctx: CommandContext): Promise<number> {
  const timeout = args.timeout ?? 10;
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new InputError(`--timeout must be a number of seconds, ${given(args.timeout)}`);
  }
  if (args.all) return (await import('./stop-all.js')).stopAll(ctx, { timeoutMs: timeout * 1000, force: Boolean(args.force) });
  const result = await stopAndWait(ctx.paths, { timeoutMs: timeout * 1000, force: Boolean(args.force), signal: ctx.signal });
  const name = ctx.def.name;
  if (ctx.json) {
    const pid = result.kind === 'stopped' ? result.pid : null;
    const extra = result.kind === 'stopped' ? { forced: result.forced } : result.kind === 'cleaned-stale' ? { reason: result.reason } : {};
    ctx.out(JSON.stringify({ state: 'stopped', result: result.kind, pid, ...extra }) + '\n');
    return 0;
  }
  if (result.kind === 'not-running') ctx.out(`${name}: not running\n`);
  if (result.kind === 'cleaned-stale') ctx.out(`${name}: not running; removed stale state (${result.reason})\n`);
  if (result.kind === 'stopped') {
    const how = result.forced ? 'killed with SIGKILL after the timeout' : 'stopped';
    ctx.out(`${name}: ${how} (pid ${result.pid}, ${(result.waitedMs / 1000).toFixed(2)}s)\n`);
  }
  return 0;
}
