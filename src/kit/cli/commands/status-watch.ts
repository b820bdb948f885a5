import { askDaemon, subscribeDaemon, type DaemonTarget } from '../../client/ask-daemon.js';
import { DaemonError } from '../../errors.js';
import { STATUS_SELECTION, type LiveStatus } from '../../server/status-shape.js';
import { formatBytes, formatDuration } from '../format.js';
import type { Args, CommandContext } from '../spec.js';

/**
 * `status --watch`: a line each time the status changes (pid, the tool's own
 * fields such as the services; with --json, an object per update), until
 * Ctrl-C or the daemon stops (exit 3). The tool's own fields come with one
 * query per event.
 */
export default async function statusWatch(args: Args, ctx: CommandContext): Promise<number> {
  const ext = ctx.extensions.status;
  const target: DaemonTarget & { signal: AbortSignal } = { name: ctx.def.name, paths: ctx.paths, env: ctx.env, signal: ctx.signal };
  const interval = typeof args.interval === 'number' ? args.interval : 2;
  const query = `subscription { status(intervalSeconds: ${interval}) ${STATUS_SELECTION} }`;
  let last = '';
  let seen = false;
  let looking: Promise<void> = Promise.resolve();
  const look = async (s: LiveStatus) => {
    seen = true;
    // The tool's own fields (services) are not in the status event: one query for them, and a line without them if it fails.
    const extra: Record<string, unknown> = ext ? await askDaemon<Record<string, unknown>>(target, `{ ${ext.selection} }`).catch(() => ({})) : {};
    // --json is a feed (one object per update, uptime included).
    if (ctx.json) return ctx.out(JSON.stringify({ state: 'running', ...s, ...(ext ? ext.json(extra) : {}) }) + '\n');
    // Uptime, memory and request counts move on every tick: a change is in what else the line says.
    const rows = ext ? ext.human(extra, false) : [];
    const key = JSON.stringify({ pid: s.pid, instanceId: s.instanceId, rows });
    if (key === last) return;
    last = key;
    ctx.out(humanLine(s, rows) + '\n');
  };
  let ended: 'completed' | 'closed' | 'aborted';
  try {
    ended = await subscribeDaemon<{ status: LiveStatus }>(target, query, ({ status }) => {
      looking = looking.then(() => look(status)).catch(() => {});
    });
    await looking;
  } catch (err) {
    await looking; // the events before the failure are printed first
    // Gone between events: that is the watch ending, not a failure to start it.
    if (!(err instanceof DaemonError && (err.code === 'NOT_RUNNING' || err.code === 'STALE')) || !seen) throw err;
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
