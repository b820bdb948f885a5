/**
 * Order over `depends_on`: what to start first, what to stop first. The
 * configuration loader refuses cycles; these functions still terminate on one
 * (the back edge is ignored) rather than trust that.
 */
import type { ServiceConfig } from './types.js';

/** `names` and everything they depend on, transitively, dependencies before dependents. */
export function withDependencies(services: ServiceConfig[], names: string[]): string[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const service = byName.get(name);
    if (service === undefined) return;
    for (const dep of Object.keys(service.dependsOn)) visit(dep);
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

/** Depth of each service: 0 without dependencies, else one more than its deepest dependency. */
export function depths(services: ServiceConfig[]): Map<string, number> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const service = byName.get(name);
    if (service === undefined || visiting.has(name)) return -1;
    visiting.add(name);
    let d = 0;
    for (const dep of Object.keys(service.dependsOn)) d = Math.max(d, visit(dep) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const s of services) visit(s.name);
  return depth;
}

/** `names` in batches to stop one after the other: dependents before their dependencies. */
export function stopLevels(services: ServiceConfig[], names: string[]): string[][] {
  const depth = depths(services);
  const levels = new Map<number, string[]>();
  for (const name of names) {
    const d = depth.get(name) ?? 0;
    levels.set(d, [...(levels.get(d) ?? []), name]);
  }
  return [...levels.entries()].sort((a, b) => b[0] - a[0]).map(([, batch]) => batch);
}

/**
 * The longest a stop of `names` may take: the stop order's batches run one
 * after the other, each as long as its slowest service's stop timeout, plus
 * `killAllowanceMs` per batch for SIGKILL to take effect.
 */
export function stopBudgetMs(services: ServiceConfig[], names: string[], killAllowanceMs: number): number {
  const timeouts = new Map(services.map((s) => [s.name, s.stopTimeoutMs]));
  return stopLevels(services, names).reduce((sum, batch) => sum + Math.max(0, ...batch.map((name) => timeouts.get(name) ?? 0)) + killAllowanceMs, 0);
}
