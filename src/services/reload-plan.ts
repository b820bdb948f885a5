/** What a reload does to the running services: which go, which restart, which are new. */
import type { ProjectConfig, ReloadResult } from './types.js';

/** The services a reload stops, restarts and adds. */
export interface ReloadPlan {
  /** In the old configuration only: stopped for good. */
  removed: string[];
  /** In both, with a changed definition: stopped, then started again if they were wanted. */
  changed: string[];
  /** In the new configuration only. */
  added: string[];
}

/**
 * Added and removed come from the two configurations themselves, so a stale
 * `diff` cannot strand a service; `diff` only says which of the rest changed.
 */
export function reloadPlan(current: Iterable<string>, next: ProjectConfig, diff: ReloadResult): ReloadPlan {
  const now = new Set(current);
  const nextNames = new Set(next.services.map((s) => s.name));
  return {
    removed: [...now].filter((name) => !nextNames.has(name)),
    changed: diff.changed.filter((name) => now.has(name) && nextNames.has(name)),
    added: next.services.map((s) => s.name).filter((name) => !now.has(name)),
  };
}
