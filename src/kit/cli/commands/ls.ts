import { probeDaemon, type DaemonState } from '../../lifecycle/liveness.js';
import { listInstances } from '../../state/instances.js';
import { formatDuration, paint } from '../format.js';
import type { Args, CommandContext } from '../spec.js';

/** One daemon as `ls` shows it. */
interface Listed {
  project: string;
  pid: number | null;
  state: DaemonState['state'];
  uptimeSeconds: number | null;
  endpoint: string | null;
  extra: Record<string, unknown>;
}

/**
 * `ls`: every daemon of this user under the state root, running or stale:
 * project, pid, state, uptime, the tool's own columns (tend: services and
 * ports), endpoint; `--json`. Read-only: creates, deletes and signals nothing.
 */
export default async function ls(_args: Args, ctx: CommandContext): Promise<number> {
  const ext = ctx.extensions.list;
  const states = await Promise.all(
    listInstances(ctx.paths.stateRoot).map(async (paths) => ({ paths, state: await probeDaemon(paths, { extraSelection: ext?.selection, timeoutMs: 2_000 }) })),
  );
  const daemons: Listed[] = states.map(({ paths, state }) => ({
    project: paths.projectDir,
    pid: state.state === 'running' ? state.live.pid : state.state === 'stopped' ? null : (state.metadata?.pid ?? null),
    state: state.state,
    uptimeSeconds: state.state === 'running' ? Math.round(state.live.uptimeSeconds * 1000) / 1000 : null,
    endpoint: state.state === 'running' ? state.metadata.endpoint : null,
    extra: state.state === 'running' ? state.extra : {},
  }));
  if (ctx.json) {
    const json = daemons.map(({ extra, ...d }) => ({ ...d, ...(ext?.json(extra, d.state === 'running') ?? {}) }));
    ctx.out(`${JSON.stringify({ daemons: json })}\n`);
    return 0;
  }
  if (!daemons.length) {
    ctx.err(`${ctx.def.name}: no daemons under ${ctx.paths.stateRoot}\n`);
    return 0;
  }
  const extraHeads = ext?.columns ?? [];
  const head = ['PROJECT', 'PID', 'STATE', 'UPTIME', ...extraHeads, 'ENDPOINT'];
  const rows = daemons.map((d) => {
    const own = d.state === 'running' && ext ? ext.cells(d.extra) : extraHeads.map(() => '-');
    return [d.project, String(d.pid ?? '-'), d.state, d.uptimeSeconds === null ? '-' : formatDuration(d.uptimeSeconds), ...own, d.endpoint ?? '-'];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], colour = false) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
        return colour && i === 2 ? paint(ctx.color, c === 'running' ? 'green' : c === 'stale' ? 'yellow' : 'red', padded) : padded;
      })
      .join('  ');
  ctx.out([line(head), ...rows.map((r) => line(r, true))].join('\n') + '\n');
  return 0;
}
