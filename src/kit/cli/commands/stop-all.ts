import { DaemonError } from '../../errors.js';
import { stopAndWait, type StopResult } from '../../lifecycle/stop-daemon.js';
import { listInstances } from '../../state/instances.js';
import type { CommandContext } from '../spec.js';

/**
 * `stop --all`: every daemon of this user under the state root, one after
 * another, each through stopAndWait (its identity checks, its timeout; stale
 * state is cleaned as `stop` does). An instance dir that fails the trust
 * checks is skipped, never signalled, and counts as one not stopped (as `stop`
 * in that project fails). One failure does not stop the others; the exit code
 * is 1 when any daemon could not be stopped.
 */
export async function stopAll(ctx: CommandContext, options: { timeoutMs?: number; force: boolean }): Promise<number> {
  const results: { project: string; result: StopAllResult }[] = [];
  for (const entry of listInstances(ctx.paths.stateRoot, { name: ctx.def.name })) {
    if (entry.kind === 'unsafe') {
      results.push({ project: entry.dir, result: { kind: 'skipped-unsafe', code: 'STATE_UNSAFE', message: entry.reason } });
      continue;
    }
    const { paths } = entry;
    try {
      results.push({ project: paths.projectDir, result: await stopAndWait(paths, { ...options, reap: ctx.def.reap, signal: ctx.signal }) });
    } catch (err) {
      const code = err instanceof DaemonError ? err.code : 'STOP_FAILED';
      results.push({ project: paths.projectDir, result: { kind: 'failed', code, message: (err as Error).message } });
    }
  }
  const failed = results.some((r) => r.result.kind === 'failed' || r.result.kind === 'skipped-unsafe');
  if (ctx.json) {
    const daemons = results.map(({ project, result }) => ({ project, result: result.kind, ...resultFields(result) }));
    ctx.out(`${JSON.stringify({ daemons })}\n`);
    return failed ? 1 : 0;
  }
  const name = ctx.def.name;
  if (!results.length) ctx.out(`${name}: no daemons running\n`);
  for (const { project, result } of results) {
    if (result.kind === 'stopped') ctx.out(`${name}: ${result.forced ? 'killed with SIGKILL after the timeout' : 'stopped'} ${project} (pid ${result.pid}, ${(result.waitedMs / 1000).toFixed(2)}s)\n`);
    if (result.kind === 'not-running') ctx.out(`${name}: ${project}: not running\n`);
    if (result.kind === 'cleaned-stale') ctx.out(`${name}: ${project}: not running; removed stale state (${result.reason})\n`);
    if (result.kind === 'failed') ctx.err(`${name}: ${project}: ${result.message}\n`);
    if (result.kind === 'skipped-unsafe') ctx.err(`${name}: ${project}: skipped, nothing signalled: ${result.message}\n`);
  }
  return failed ? 1 : 0;
}

/** What became of one instance dir. */
type StopAllResult = StopResult | { kind: 'failed' | 'skipped-unsafe'; code: string; message: string };

function resultFields(result: StopAllResult): Record<string, unknown> {
  if (result.kind === 'stopped') return { pid: result.pid, forced: result.forced };
  if (result.kind === 'cleaned-stale') return { reason: result.reason };
  if (result.kind === 'failed' || result.kind === 'skipped-unsafe') return { error: { code: result.code, message: result.message } };
  return {};
}
