import type { DaemonDefinition } from '../define.js';
import { bootId, processStartTime } from '../process/process-info.js';
import { METADATA_SCHEMA, writeMetadata, type Metadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';

/** What the daemon knows about itself once its endpoint is bound. */
export interface MetadataInput {
  def: Pick<DaemonDefinition<unknown>, 'version'>;
  paths: InstancePaths;
  instanceId: string;
  token: string;
  startedAt: Date;
  host: string;
  port: number;
  foreground: boolean;
  /** How long `stop` should wait for this daemon (its drain plus the tool's stop budget). */
  stopTimeoutMs: number;
}

/** The daemon.json this process publishes: every field other processes read about it, in one place. */
export function buildMetadata(input: MetadataInput): Metadata {
  const { paths, host, port } = input;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    schema: METADATA_SCHEMA,
    pid: process.pid,
    processStartTime: processStartTime(process.pid),
    bootId: bootId(),
    instanceId: input.instanceId,
    startedAt: input.startedAt.toISOString(),
    version: input.def.version,
    endpoint: `http://${hostPart}:${port}/graphql`,
    host,
    port,
    token: input.token,
    projectDir: paths.projectDir,
    logFile: paths.logFile,
    foreground: input.foreground,
    stopTimeoutMs: input.stopTimeoutMs,
  };
}

/**
 * daemon.json as this daemon publishes it: written atomically once the
 * endpoint serves, rewritten when the stop budget changes (a reload), never
 * once stopping (teardown removes the file).
 */
export class MetadataPublisher {
  private current: Metadata | undefined;

  constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Writes the first daemon.json; from here on clients can find the daemon. */
  publish(input: MetadataInput): Metadata {
    const metadata = buildMetadata(input);
    writeMetadata(this.file, metadata);
    this.current = metadata;
    return metadata;
  }

  /** Rewrites daemon.json when `stop`'s budget changed (nothing before the first publish). */
  republishStopBudget(stopTimeoutMs: number): void {
    const metadata = this.current;
    if (!metadata || stopTimeoutMs === metadata.stopTimeoutMs) return;
    try {
      writeMetadata(this.file, (this.current = { ...metadata, stopTimeoutMs }));
    } catch (err) {
      this.log(`publishing the stop budget in ${this.file}: ${(err as Error).message}`);
    }
  }
}
