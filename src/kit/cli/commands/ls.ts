import { DaemonError } from '../../errors.js';
import { probeDaemon, type DaemonState } from '../../lifecycle/liveness.js';
import { listInstances } from '../../state/instances.js';
import { formatDuration, paint } from '../format.js';
import type { Args, CommandContext } from '../spec.js';

/** One daemon as `ls` shows it; `unsafe`: a dir not to be trusted, so nothing of it is read. */
interface Listed {
  project: string | null;
  dir: string;
  pid: number | null;
  state: DaemonState['state'] | 'unsafe';
  uptimeSeconds: number | null;
  endpoint: string | null;
  /** Why an `unsafe` dir is not trusted (the fix included). */
  reason?: string;
  extra: Record<string, unknown>;
}

/**
 * `ls`: every daemon of this user under the state root, running or stale:
 * project, pid, state, uptime, the tool's own columns (tend: services and
 * ports), endpoint; `--json`. An instance dir that fails the trust checks is
 * listed as `unsafe` (why on stderr), the others as usual. Read-only:
 * creates, deletes and signals nothing.
 */
export default async function ls(_args: Args, ctx: CommandContext): Promise<number> {
  const ext = ctx.extensions.list;
  const daemons: Listed[] = await Promise.all(
    listInstances(ctx.paths.stateRoot, { name: ctx.def.name }).map(async (entry): Promise<Listed> => {
      if (entry.kind === 'unsafe') return unsafe(entry.dir, entry.reason);
      const { paths } = entry;
      let state: DaemonState;
      try {
        state = await probeDaemon(paths, { extraSelection: ext?.selection, timeoutMs: 2_000 });
      } catch (err) {
        // The owner record (or a file swapped in since it was listed) failed its checks.
        if (err instanceof DaemonError && err.code === 'STATE_UNSAFE') return unsafe(paths.dir, err.message);
        throw err;
      }
      return {
        project: paths.projectDir,
        dir: paths.dir,
        pid: state.state === 'running' ? state.live.pid : state.state === 'stopped' ? null : (state.metadata?.pid ?? null),
        state: state.state,
        uptimeSeconds: state.state === 'running' ? Math.round(state.live.uptimeSeconds * 1000) / 1000 : null,
        endpoint: state.state === 'running' ? state.metadata.endpoint : null,
        extra: state.state === 'running' ? state.extra : {},
      };
    }),
  );
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
    return [d.project ?? d.dir, String(d.pid ?? '-'), d.state, d.uptimeSeconds === null ? '-' : formatDuration(d.uptimeSeconds), ...own, d.endpoint ?? '-'];
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
  for (const d of daemons) if (d.state === 'unsafe') ctx.err(`${ctx.def.name}: ${d.dir}: unsafe, not read: ${d.reason}\n`);
  return 0;
}

function unsafe(dir: string, reason: string): Listed {
  return { project: null, dir, pid: null, state: 'unsafe', uptimeSeconds: null, endpoint: null, reason, extra: {} };
}
