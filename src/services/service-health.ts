/**
 * The health of one process of a service: its readiness probe (until it
 * passes or gives up), then, once ready, its `live` probe for as long as it
 * runs. Both end with the process's own signal (exit or stop); what they find
 * goes to the runner through `HealthEvents`.
 */
import { watchLiveness } from './liveness.js';
import { runProbe } from './probes.js';
import type { ServiceProcess } from './process/service-process.js';
import type { LiveProbe, ReadyProbe, ServiceConfig } from './types.js';

/** What the probes of one process report. */
export interface HealthEvents {
  /** A readiness attempt failed (the process is not ready yet). */
  attemptFailed: (failure: string) => void;
  /** The readiness probe passed after `attempts` attempts. */
  ready: (attempts: number) => void;
  /** The readiness probe gave up; the process is kept, not ready. */
  gaveUp: (reason: string) => void;
}

/** What the `live` probe of one ready process reports. */
export interface LiveEvents {
  /** `count` live attempts in a row failed, fewer than `failures`. */
  failing: (reason: string, count: number, failures: number) => void;
  /** A live attempt passed after failures. */
  recovered: () => void;
  /** `failures` live attempts in a row failed: restart it. */
  unhealthy: (reason: string) => void;
}

/** The env a service's probes run with: the supervisor's, under the service's own. */
function probeEnv(config: ServiceConfig, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, ...config.env };
}

/** Runs the readiness probe of process `p`; reports nothing once `p` ended or is being stopped. */
export async function probeReadiness(p: ServiceProcess, probe: ReadyProbe, config: ServiceConfig, env: NodeJS.ProcessEnv, on: HealthEvents): Promise<void> {
  const { signal } = p.controller;
  let result;
  try {
    result = await runProbe(probe, { cwd: config.cwd, env: probeEnv(config, env), log: p.matcher, signal, onAttemptFailed: (f) => void (signal.aborted || on.attemptFailed(f)) });
  } catch {
    return; // aborted: the process ended or is being stopped
  }
  if (signal.aborted) return;
  if (result.ok) on.ready(result.attempts);
  else on.gaveUp(result.reason);
}

/** Watches a ready process with its `live` probe until it ends (only ever after ready: a slow start is no failed liveness check). */
export function watchLive(p: ServiceProcess, live: LiveProbe, config: ServiceConfig, env: NodeJS.ProcessEnv, on: LiveEvents): void {
  const { signal } = p.controller;
  const ctx = { cwd: config.cwd, env: probeEnv(config, env), log: p.liveMatcher, signal };
  void watchLiveness(live, ctx, {
    failed: (reason, count) => void (signal.aborted || on.failing(reason, count, live.failures)),
    recovered: () => void (signal.aborted || on.recovered()),
    unhealthy: (reason) => void (signal.aborted || on.unhealthy(reason)),
  });
}
