import type { DaemonDefinition } from '../define.js';
import type { InstancePaths } from '../state/paths.js';
import type { LiveStatus } from '../server/status-shape.js';
import { memoryReader } from '../process/memory.js';

/** The fixed facts a status answer is built from, and the counters read on each call. */
export interface StatusSource {
  def: Pick<DaemonDefinition<unknown>, 'version'>;
  paths: InstancePaths;
  instanceId: string;
  startedAt: Date;
  foreground: boolean;
  requestsServed: () => number;
  /** Log lines lost to a full or failing disk: the daemon log's and the tool's. */
  droppedLines: () => number;
}

/** Returns the function that answers `Query.status` (and the SIGUSR1 snapshot) right now. */
export function liveStatus(source: StatusSource): () => LiveStatus {
  const { paths, startedAt } = source;
  const memory = memoryReader();
  const started = startedAt.toISOString();
  return () => ({
    instanceId: source.instanceId,
    pid: process.pid,
    version: source.def.version,
    startedAt: started,
    // Wall clock, not a monotonic timer: uptime must include time asleep.
    uptimeSeconds: Math.max(0, (Date.now() - startedAt.getTime()) / 1000),
    projectDir: paths.projectDir,
    logFile: paths.logFile,
    foreground: source.foreground,
    requestsServed: source.requestsServed(),
    droppedLines: source.droppedLines(),
    memory: memory(),
  });
}
