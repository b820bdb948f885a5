/**
 * Judging states: may a pending service start yet (its dependencies'
 * conditions), and is a service as far up as `waitReady` wants it. Pure
 * functions over a runner's public fields.
 */
import type { DependencyCondition, ServiceConfig, ServiceState } from './types.js';

/** The fields of a runner these rules read. */
export interface RunnerView {
  config: ServiceConfig;
  state: ServiceState;
  reason: string | null;
  ready: boolean;
  exitCode: number | null;
  exitSignal: string | null;
  spawned: boolean;
  probeGaveUp: boolean;
  /** `reason` is the description of the last exit. */
  reasonFromExit: boolean;
}

/** Where a pending service stands: launch now, keep waiting, or stuck because `culprit` will not come up. */
export type LaunchStatus =
  | { kind: 'go' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'blocked'; reason: string; culprit: string };

/** Decides whether `runner`'s dependencies allow it to start; follows chains of pending services. */
export function launchStatus(runner: RunnerView, lookup: (name: string) => RunnerView | undefined, seen = new Set<string>()): LaunchStatus {
  seen.add(runner.config.name);
  let waiting: string | null = null;
  for (const [name, condition] of Object.entries(runner.config.dependsOn)) {
    const dep = lookup(name);
    if (dep === undefined) return { kind: 'blocked', reason: `waiting for ${name}: no such service`, culprit: name };
    const status = dependencyStatus(dep, condition);
    if (status.kind === 'blocked') return { ...status, culprit: name };
    if (status.kind === 'waiting') {
      // A dependency stuck behind a failed one of its own is just as stuck.
      if (dep.state === 'pending' && !seen.has(name)) {
        const inner = launchStatus(dep, lookup, seen);
        if (inner.kind === 'blocked') return { kind: 'blocked', reason: `waiting for ${name}: ${inner.reason}`, culprit: inner.culprit };
      }
      waiting ??= status.reason;
    }
  }
  return waiting === null ? { kind: 'go' } : { kind: 'waiting', reason: waiting };
}

/** Whether one dependency satisfies `condition`. */
export function dependencyStatus(dep: RunnerView, condition: DependencyCondition): { kind: 'met' } | { kind: 'waiting' | 'blocked'; reason: string } {
  const name = dep.config.name;
  const blocked = (why: string) => ({ kind: 'blocked' as const, reason: `waiting for ${name}: ${why}` });
  const waiting = (what: string) => ({ kind: 'waiting' as const, reason: `waiting for ${name} to ${what}` });
  switch (dep.state) {
    case 'failed':
      return blocked('failed');
    case 'stopped':
      return blocked('stopped');
    case 'exited':
      // A one-shot job that succeeded satisfies any condition; one that failed, none.
      return succeeded(dep) ? { kind: 'met' } : blocked(dep.reason ?? 'exited');
  }
  if (condition === 'completed') return waiting('complete');
  if (condition === 'started') return dep.spawned && dep.state !== 'pending' ? { kind: 'met' } : waiting('start');
  if (dep.ready) return { kind: 'met' };
  return dep.probeGaveUp ? blocked(`not ready (${dep.reason ?? 'probe gave up'})`) : waiting('be ready');
}

/** How far up a service is, for waitReady. */
export type Readiness = { kind: 'ok' } | { kind: 'waiting' } | { kind: 'failed'; service: string; reason: string; statesExit: boolean };

/** Ready, completed successfully, still on its way, or never going to be ready (and who is to blame). */
export function readiness(runner: RunnerView, lookup: (name: string) => RunnerView | undefined): Readiness {
  const name = runner.config.name;
  const failed = (reason: string): Readiness => ({ kind: 'failed', service: name, reason, statesExit: runner.reasonFromExit });
  switch (runner.state) {
    case 'running':
      if (runner.ready) return { kind: 'ok' };
      return runner.probeGaveUp ? failed(`not ready: ${runner.reason ?? 'probe gave up'}`) : { kind: 'waiting' };
    case 'exited':
      return succeeded(runner) ? { kind: 'ok' } : failed(runner.reason ?? 'exited');
    case 'failed':
      return failed(runner.reason ?? 'failed');
    case 'stopped':
      return failed(runner.reason === 'not started' ? 'not started' : 'stopped');
    case 'pending': {
      const status = launchStatus(runner, lookup);
      if (status.kind !== 'blocked') return { kind: 'waiting' };
      const culprit = lookup(status.culprit);
      const verdict = culprit === undefined ? undefined : readiness(culprit, lookup);
      if (verdict?.kind === 'failed') return { ...verdict, reason: `${verdict.reason} (${name} depends on it)` };
      return { kind: 'failed', service: name, reason: status.reason, statesExit: false };
    }
    default:
      return { kind: 'waiting' };
  }
}

function succeeded(runner: RunnerView): boolean {
  return runner.exitCode === 0 && runner.exitSignal === null;
}
