import type { ServiceInfo } from '../services/types.js';

// Not in service-format.ts: `status` prints this line and must not load cli-table3.

/** `3 running, 1 failed (web)` for `status`. */
export function servicesSummary(services: Pick<ServiceInfo, 'name' | 'state'>[]): string {
  if (!services.length) return 'none configured';
  const counts = new Map<string, string[]>();
  for (const s of services) counts.set(s.state, [...(counts.get(s.state) ?? []), s.name]);
  return [...counts]
    .map(([state, names]) => (state === 'running' ? `${names.length} running` : `${names.length} ${state} (${names.join(', ')})`))
    .join(', ');
}
