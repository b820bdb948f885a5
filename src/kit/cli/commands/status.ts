import { DaemonError } from '../../errors.js';
import { probeDaemon } from '../../lifecycle/liveness.js';
import { answerTimeoutMs } from '../../client/deadline.js';
import { formatDuration, paint, runningLines, stateJson } from '../format.js';
import type { Args, CommandContext } from '../spec.js';

/** Exit codes of `status` (CONTRACT). */
export const STATUS_EXIT = { running: 0, stale: 1, stopped: 3, unknown: 4 } as const;

/** `status`: what is known about the daemon; `--watch` follows it live. Read-only. */
export default async function status(args: Args, ctx: CommandContext): Promise<number> {
  if (args.watch) return (await import('./status-watch.js')).default(args, ctx).catch(unsafeAsUnknown);
  const ext = ctx.extensions.status;
  const state = await probeDaemon(ctx.paths, { extraSelection: ext?.selection, timeoutMs: answerTimeoutMs(ctx.def.name, ctx.env), signal: ctx.signal }).catch(unsafeAsUnknown);
  if (ctx.json) {
    ctx.out(JSON.stringify(stateJson(state, ext)) + '\n');
    return STATUS_EXIT[state.state];
  }
  const name = ctx.def.name;
  const c = ctx.color;
  switch (state.state) {
    case 'running':
      ctx.out(`${name}: ${paint(c, 'green', 'running')} (pid ${state.live.pid}, up ${formatDuration(state.live.uptimeSeconds)})\n`);
      ctx.out(runningLines(name, state, c, ext).join('\n') + '\n');
      break;
    case 'stopped':
      ctx.out(`${name}: not running\n`);
      break;
    case 'stale':
      ctx.out(`${name}: ${paint(c, 'yellow', 'stale')}: ${state.reason}\n`);
      ctx.out(`  '${name} start' replaces it; '${name} stop' cleans it up\n`);
      break;
    case 'unknown':
      ctx.out(`${name}: ${paint(c, 'red', 'unknown')}: ${state.reason}\n`);
      ctx.out(`  see the log: ${ctx.paths.logFile}; '${name} stop' stops a daemon it can confirm and cleans up otherwise\n`);
      break;
  }
  return STATUS_EXIT[state.state];
}

// State another user could have planted is unreadable state: `unknown` (exit
// 4); the error boundary prints the message, which says the fix.
function unsafeAsUnknown(err: unknown): never {
  if (err instanceof DaemonError && err.code === 'STATE_UNSAFE') throw new DaemonError('STATE_UNKNOWN', err.message, { cause: err });
  throw err;
}
