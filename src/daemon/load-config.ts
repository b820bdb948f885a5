import { loadProjectConfig, type LoadOptions } from '../services/config/index.js';
import { leasePorts, type LeaseOptions } from '../services/ports/lease.js';
import type { PortRequest, ProjectConfig } from '../services/types.js';

/**
 * Loads the project's configuration with real ports: a first pass validates
 * the file and collects its port requests (placeholders stand in for the
 * ports), the leases are taken, and a second pass interpolates the real ones.
 * A bad file throws from the first pass, before any lease changes.
 */
export async function loadWithLeases(projectDir: string, options: Omit<LoadOptions, 'ports'>, lease: LeaseOptions): Promise<ProjectConfig> {
  let requests: readonly PortRequest[] = [];
  const first = loadProjectConfig(projectDir, {
    ...options,
    ports: (asked) => {
      requests = asked;
      return new Map(asked.map((r) => [r.service, r.kind === 'auto' ? lease.range.low : r.port]));
    },
  });
  if (requests.length === 0) return first;
  const ports = await leasePorts(requests, lease);
  return loadProjectConfig(projectDir, { ...options, ports: () => ports });
}
