/**
 * Shapes shared by the services layer: the validated configuration (what
 * `config/` produces) and the live view of a service (what the supervisor
 * reports). Everything here is plain data; no behaviour, no imports.
 */

/** When a dependent may start, relative to one of its dependencies. */
export type DependencyCondition = 'started' | 'ready' | 'completed';

/** Restart policy of a service. */
export type RestartPolicy = 'no' | 'on-failure' | 'always';

/** How often and how long a readiness probe tries. Durations in milliseconds. */
export interface ProbeTiming {
  intervalMs: number;
  timeoutMs: number;
  /** Failed attempts allowed before the service is declared not ready (it keeps running). */
  retries: number;
  /** Delay before the first attempt. */
  initialDelayMs: number;
}

/** A readiness probe: exactly one kind. */
export type ReadyProbe =
  | ({ kind: 'http'; url: string } & ProbeTiming)
  | ({ kind: 'tcp'; host: string; port: number } & ProbeTiming)
  | ({ kind: 'log'; pattern: string } & ProbeTiming)
  | ({ kind: 'command'; command: string | string[] } & ProbeTiming);

/** `watch:` of a service: what to watch and what a change does. */
export interface WatchConfig {
  /** Paths or globs relative to the service's cwd. */
  paths: string[];
  /** Paths or globs (relative to the cwd) whose changes are ignored and whose trees are not scanned. */
  ignore: string[];
  /** Quiet time after the last change before acting. */
  debounceMs: number;
  /** Send this signal instead of restarting; null restarts. */
  signal: NodeJS.Signals | null;
}

/** A liveness probe: a probe kind and timing, plus the failures in a row that restart the service. */
export type LiveProbe = ReadyProbe & { failures: number };

/** Restart tuning from a `restart:` map; null fields fall back to the supervisor's defaults. */
export interface RestartTuning {
  /** Automatic restarts in a row (runs shorter than resetAfter) before giving up; null: the policy's default. */
  maxRestarts: number | null;
  backoffMs: number | null;
  maxBackoffMs: number | null;
  resetAfterMs: number | null;
}

/** One service, validated and resolved (absolute cwd, env_file merged into env). */
export interface ServiceConfig {
  name: string;
  /** A string runs under `/bin/sh -c`; an array is exec'd as is. */
  command: string | string[];
  /** Absolute working directory. */
  cwd: string;
  /** Extra environment: env_file values first, then `env` on top. */
  env: Record<string, string>;
  dependsOn: Record<string, DependencyCondition>;
  ready: ReadyProbe | null;
  restart: RestartPolicy;
  stopSignal: NodeJS.Signals;
  stopTimeoutMs: number;
  /** Restart on file changes; null: no watching. */
  watch?: WatchConfig | null;
  /** Liveness probe run once the service is ready; null: none. */
  live?: LiveProbe | null;
  /** From a `restart:` map; null: the defaults. */
  restartTuning?: RestartTuning | null;
  /** The service's port (in its env as PORT), or null when it has none. */
  port?: number | null;
  /** Started by a bare `start` (`autostart` and an active profile, or no profiles); default true. */
  autostart?: boolean;
}

/** A service's `port:` before it is assigned: a lease, a fixed number, or a lease that prefers a number (Procfile). */
export type PortRequest =
  | { service: string; kind: 'auto' }
  | { service: string; kind: 'fixed'; port: number }
  | { service: string; kind: 'preferred'; port: number };

/** Turns the port requests of a project into ports, by service name. */
export type PortAssigner = (requests: readonly PortRequest[]) => ReadonlyMap<string, number>;

/** The project's configuration, from tend.yaml / tend.yml / Procfile, or none. */
export interface ProjectConfig {
  /** Absolute path of the file read, or null when the project has none. */
  file: string | null;
  kind: 'yaml' | 'procfile' | 'none';
  /** Services in file order. */
  services: ServiceConfig[];
  daemon: { port?: number; host?: string };
  /** Lines that were skipped rather than refused (a Procfile's), each naming its file and line; absent when none. */
  warnings?: string[];
}

/** Lifecycle state of a supervised service (CONTRACT part 2). */
export type ServiceState =
  | 'pending'
  | 'starting'
  | 'running'
  | 'backoff'
  | 'exited'
  | 'failed'
  | 'stopped';

/** What `ps` and the GraphQL API report for one service. */
export interface ServiceInfo {
  name: string;
  state: ServiceState;
  pid: number | null;
  restarts: number;
  ready: boolean;
  exitCode: number | null;
  exitSignal: string | null;
  /** ISO 8601 of the current (or last) process start. */
  startedAt: string | null;
  logFile: string;
  /** Why the service is in its state, when that needs saying (failed probe, gave up…). */
  reason: string | null;
  /** Output lines its log could not take (disk full or failing) since the daemon started. */
  droppedLines: number;
  /** Its port (PORT in its env), or null. */
  port: number | null;
}

/** Something that happened to a service; pushed to subscribers. */
export interface ServiceEvent {
  service: string;
  kind: 'state' | 'ready' | 'restart' | 'exit' | 'probe-failed' | 'signal' | 'unhealthy' | 'watching';
  state: ServiceState;
  at: string;
  message: string | null;
}

/** What a reload changed. */
export interface ReloadResult {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}
