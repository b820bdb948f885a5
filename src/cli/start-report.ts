import type { CommandContext } from '../kit/cli/spec.js';
import type { StartResult } from '../kit/lifecycle/start-daemon.js';
import type { ServiceInfo } from '../services/types.js';

type Reported = Pick<ServiceInfo, 'name' | 'state' | 'exitCode' | 'reason'>;

/**
 * What `start` adds on stderr to its "started" / "already running": the
 * services that already exited or failed (from the daemon's ready answer,
 * taken after its first moments). A warning: the daemon runs (exit 0).
 */
export function startWarnings(result: StartResult, ctx: CommandContext): string[] {
  const name = ctx.def.name;
  const extra = result.daemon.extra;
  const warnings: string[] = [];
  for (const s of (extra.services as Reported[] | undefined) ?? []) {
    const completed = s.state === 'exited' && s.exitCode === 0;
    if (completed || !['exited', 'failed', 'backoff'].includes(s.state)) continue;
    const what = s.state === 'failed' ? `failed: ${s.reason ?? 'gave up'}` : (s.reason ?? s.state);
    warnings.push(`service ${s.name} ${what}; see '${name} logs ${s.name}'`);
  }
  return warnings.map((w) => `${name}: warning: ${w}\n`);
}
