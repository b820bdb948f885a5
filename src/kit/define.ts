import type { InstancePaths } from './state/paths.js';

/** What a tool gives the kit to get a correct background mode. */
export interface DaemonDefinition<S = unknown> {
  /** Names the state dir, the env vars (`<NAME>_STATE_DIR`, `<NAME>_DIR`) and the messages. */
  name: string;
  version: string;
  /** Files that mark a project root (the nearest ancestor holding one is the project). */
  projectMarkers?: readonly string[];
  /**
   * The daemon side, loaded lazily: only `run`, the daemon itself and `start`'s
   * validation import it, so `status` never pays for the tool's code or yoga.
   */
  load: () => Promise<DaemonApp<S>>;
}

/** Everything a tool's daemon does beyond the kit's lifecycle. */
export interface DaemonApp<S = unknown> {
  /** SDL added to the kit's schema (use `extend type Query`, `type Mutation`, `extend type Subscription`). */
  typeDefs?: string;
  /** Resolvers for `typeDefs`, given the state returned by `start`. */
  resolvers?: (state: S, ctx: DaemonContext) => Record<string, unknown>;
  /**
   * Checks the project before anything is spawned (in the `start` parent and
   * in `run`). Throw an InputError to refuse; may return endpoint defaults.
   */
  validate?: (ctx: ValidateContext) => Promise<EndpointDefaults | void> | EndpointDefaults | void;
  /** Starts the tool's work; runs after the endpoint is bound, before ready is signalled. */
  start: (ctx: DaemonContext) => Promise<S>;
  /** Stops the tool's work; runs after the endpoint stopped accepting. */
  stop: (state: S, ctx: DaemonContext) => Promise<void>;
  /** SIGHUP: re-read configuration. Returns a one-line summary for the log. Never exits. */
  reload?: (state: S, ctx: DaemonContext) => Promise<string>;
  /** Extra data in the SIGUSR1 snapshot. */
  snapshot?: (state: S) => unknown;
  /** Who holds a port the endpoint could not bind (`port 4000 is in use by pid …`), or null when unknown. */
  describePortInUse?: (port: number, paths: InstancePaths) => string | null;
}

/** Endpoint settings a project may set for itself (flags win). */
export interface EndpointDefaults {
  port?: number;
  host?: string;
}

/** What validate() is told. */
export interface ValidateContext {
  projectDir: string;
  paths: InstancePaths;
  /** Tells the user something is off but usable (printed on stderr as `<name>: warning: …`). */
  warn: (message: string) => void;
  /** The configuration file named by `--file`, or null. */
  configFile: string | null;
  /** What the daemon will be launched with (CliExtensions.launch). */
  launch: unknown;
}

/** What the daemon side is told and may use. */
export interface DaemonContext {
  projectDir: string;
  paths: InstancePaths;
  instanceId: string;
  foreground: boolean;
  /** The configuration file named by `--file`, or null. */
  configFile: string | null;
  /** What the CLI launched the daemon with (CliExtensions.launch). */
  launch: unknown;
  /** Appends a timestamped line to the daemon log (and the terminal in foreground). */
  log: (message: string) => void;
  /** Writes raw text to the terminal in foreground mode; dropped when detached. */
  output: (text: string) => void;
  /** Tells status subscribers something changed. */
  notifyChange: () => void;
  /** Aborted when the daemon begins to shut down. */
  signal: AbortSignal;
}

/** Declares a daemon; returns the definition unchanged (typed). */
export function defineDaemon<S>(definition: DaemonDefinition<S>): DaemonDefinition<S> {
  return definition;
}
