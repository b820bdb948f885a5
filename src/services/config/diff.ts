import { isDeepStrictEqual } from 'node:util';
import type { ProjectConfig, ReloadResult } from '../types.js';

/** What a reload from `before` to `after` changes: services added, removed, changed in any field, or untouched. */
export function diffConfigs(before: ProjectConfig, after: ProjectConfig): ReloadResult {
  const old = new Map(before.services.map((s) => [s.name, s]));
  const next = new Set(after.services.map((s) => s.name));
  const result: ReloadResult = { added: [], removed: [], changed: [], unchanged: [] };
  for (const service of after.services) {
    const previous = old.get(service.name);
    if (!previous) result.added.push(service.name);
    else if (isDeepStrictEqual(previous, service)) result.unchanged.push(service.name);
    else result.changed.push(service.name);
  }
  result.removed = before.services.filter((s) => !next.has(s.name)).map((s) => s.name);
  return result;
}
