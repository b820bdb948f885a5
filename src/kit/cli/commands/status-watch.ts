import { askDaemon, subscribeDaemon, type DaemonTarget } from '../../client/ask-daemon.js';
import { DaemonError } from '../../errors.js';
import { statusQuery, type StatusAnswer } from '../../lifecycle/liveness.js';
import { STATUS_SELECTION, type LiveStatus } from '../../server/status-shape.js';
import { formatBytes, formatDuration } from '../format.js';
import type { Args, CommandContext } from '../spec.js';

/**
 * `status --watch`: a line each time the status changes (pid, the tool's own
 * fields such as the services; with --json, an object per update), until
 * Ctrl-C or the daemon stops (exit 3). The subscription only says when to look: each look
 * is one status query, so the tool's fields come with it.
 */
export default async function statusWatch(args: Args, ctx: CommandContext): Promise<number> {
  const ext = ctx.extensions.status;
  const target: DaemonTarget & { signal: AbortSignal } = { name: ctx.def.name, paths: ctx.paths, env: ctx.env, signal: ctx.signal };
  const interval = typeof args.interval === 'number' ? args.interval : 2;
  const query = `subscription { status(intervalSeconds: ${interval}) ${STATUS_SELECTION} }`;
  let last = '';
  let looking: Promise<void> = Promise.resolve();
  const look = async () => {
    const { status: s, ...extra } = await askDaemon<StatusAnswer>(target, statusQuery(ext?.selection));
    // Uptime, memory and request counts move on every tick: a change is anything else.
    const key = JSON.stringify({ pid: s.pid, instanceId: s.instanceId, extra });
    const changed = key !== last;
    last = key;
    // --json is a feed (one object per update, uptime included); the human lines say what changed.
    if (ctx.json) return ctx.out(JSON.stringify({ state: 'running', ...s, ...(ext ? ext.json(extra) : {}) }) + '\n');
    if (changed) ctx.out(humanLine(s, ext ? ext.human(extra, false) : []) + '\n');
  };
  let ended: 'completed' | 'closed' | 'aborted';
  try {
    ended = await subscribeDaemon<{ status: LiveStatus }>(target, query, () => {
      looking = looking.then(look).catch(() => {});
    });
    await looking;
  } catch (err) {
    // Gone between events: that is the watch ending, not a failure to start it.
    if (!(err instanceof DaemonError && (err.code === 'NOT_RUNNING' || err.code === 'STALE')) || last === '') throw err;
    ended = 'closed';
  }
  if (ended === 'aborted') return 0;
  ctx.err(`${ctx.def.name}: the daemon stopped; the watch ends\n`);
  return 3;
}

// `2026-…Z running pid 3031 up 3m 12s rss 77.0 MB requests 5 services 3 running, 1 failed (flaky)`
function humanLine(s: LiveStatus, extraRows: string[]): string {
  const extra = extraRows.map((row) => row.trim().replace(/\s+/, ' '));
  const base = `${new Date().toISOString()} running pid ${s.pid} up ${formatDuration(s.uptimeSeconds)} rss ${formatBytes(s.memory.rss)} requests ${s.requestsServed}`;
  return [base, ...extra].join('; ');
}
