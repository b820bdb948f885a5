import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { describeReload } from '../../daemon/tend-app.js';
import type { ReloadResult } from '../../services/types.js';
import { ask, SERVICE_WORK_MS } from '../daemon-client.js';

/** `tend reload`: re-read the configuration in the running daemon and report what changed. */
export default async function reload(_args: Args, ctx: CommandContext): Promise<number> {
  const { reload: diff } = await ask<{ reload: ReloadResult }>(ctx, 'mutation { reload { added removed changed unchanged } }', {}, { workMs: SERVICE_WORK_MS });
  ctx.out(ctx.json ? JSON.stringify(diff) + '\n' : `${ctx.def.name}: reloaded: ${describeReload(diff)}\n`);
  return 0;
}
