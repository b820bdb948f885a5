import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { openUrl } from '../../kit/process/open-url.js';
import { ask, runningDaemon } from '../daemon-client.js';

/**
 * `tend ui [--no-open]`: asks the daemon for a one-time login code and prints
 * the dashboard's URL (`--json`: `{"url":…,"opened":…}`); opens it in the
 * browser unless --no-open or there is no display.
 */
export default async function ui(args: Args, ctx: CommandContext): Promise<number> {
  const origin = new URL(runningDaemon(ctx).endpoint).origin;
  const { uiLoginCode } = await ask<{ uiLoginCode: { path: string } }>(ctx, 'mutation { uiLoginCode { path } }');
  const url = origin + uiLoginCode.path;
  const result = args.open === false ? { opened: false as const, reason: '--no-open' } : await openUrl(url, { env: ctx.env, signal: ctx.signal });
  if (ctx.json) {
    ctx.out(JSON.stringify({ url, opened: result.opened }) + '\n');
    return 0;
  }
  ctx.out(`${ctx.def.name}: dashboard: ${url}\n`);
  ctx.out(`  the link works once, within 60 s; run '${ctx.def.name} ui' again for a new one\n`);
  if (result.opened) ctx.out(`  opened in the browser\n`);
  else if (args.open !== false) ctx.err(`${ctx.def.name}: not opening a browser: ${result.reason}; open the URL yourself\n`);
  return 0;
}
