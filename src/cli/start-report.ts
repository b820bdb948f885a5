import type { CommandContext } from '../kit/cli/spec.js';
import type { StartResult } from '../kit/lifecycle/start-daemon.js';
import { configDrift, type ConfigSource } from '../services/config/fingerprint.js';
import type { ServiceInfo } from '../services/types.js';
import { PROJECT_MARKERS } from '../tend.js';

type Reported = Pick<ServiceInfo, 'name' | 'state' | 'exitCode' | 'reason'>;

/**
 * What `start` adds on stderr to its "started" / "already running": the
 * services that already exited or failed (from the daemon's ready answer,
 * taken after its first moments), and a configuration file changed since the
 * running daemon loaded it. Both are warnings: the daemon runs (exit 0).
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
  const loaded = extra.config as ConfigSource | undefined;
  if (result.alreadyRunning && loaded) {
    const drift = configDrift(loaded, result.daemon.live.projectDir, PROJECT_MARKERS);
    if (drift) warnings.push(`${drift}; run '${name} reload' to apply it`);
  }
  return warnings.map((w) => `${name}: warning: ${w}\n`);
}
