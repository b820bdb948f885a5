import { DaemonError } from '../../errors.js';
import { readMetadata } from '../../state/metadata.js';
import { subscribe } from '../../client/subscribe.js';
import { STATUS_SELECTION, type LiveStatus } from '../../server/status-shape.js';
import { formatBytes, formatDuration } from '../format.js';
import type { Args, CommandContext } from '../spec.js';

/** `status --watch`: one line (or JSON object) per status change until Ctrl-C or the daemon stops. */
export default async function statusWatch(args: Args, ctx: CommandContext): Promise<number> {
  const read = readMetadata(ctx.paths.metadataFile);
  if (read.kind !== 'ok') throw new DaemonError('NOT_RUNNING', `not running; start it with '${ctx.def.name} start'`);
  const interval = typeof args.interval === 'number' ? args.interval : 2;
  const query = `subscription { status(intervalSeconds: ${interval}) ${STATUS_SELECTION} }`;
  const ended = await subscribe<{ status: LiveStatus }>(read.metadata, query, ({ status: s }) => {
    if (ctx.json) return ctx.out(JSON.stringify({ state: 'running', ...s }) + '\n');
    const line = `${new Date().toISOString()} running pid ${s.pid} up ${formatDuration(s.uptimeSeconds)} rss ${formatBytes(s.memory.rss)} requests ${s.requestsServed}`;
    ctx.out(line + '\n');
  }, ctx.signal);
  if (ended === 'aborted') return 0;
  ctx.err(`${ctx.def.name}: the daemon ended the watch (it stopped)\n`);
  return 3;
}
