import type { InstancePaths } from './state/paths.js';
import type { UiBundle } from './server/ui-routes.js';

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
  /**
   * Stops what a daemon that is gone left running (the tool's own child
   * processes, as the tool recorded them), loaded lazily and kept small: the
   * kit calls it wherever it cleans a dead daemon's state (`stop`,
   * `stop --force`, a failed `start`, and a new daemon or `run` before it
   * starts), and in the daemon itself on a second SIGINT while it stops (graceMs 0).
   */
  reap?: () => Promise<ReapHook>;
}

/** Stops the leftovers of a daemon that is gone (or, escalating, of this very daemon). */
export type ReapHook = (ctx: ReapContext) => Promise<ReapReport>;

/** What a reap is told. */
export interface ReapContext {
  paths: InstancePaths;
  /** Between SIGTERM and SIGKILL; 0: SIGKILL at once. */
  graceMs: number;
  log?: (line: string) => void;
}

/** What a reap did. */
export interface ReapReport {
  /** How many processes it signalled (0: nothing was left). */
  stopped: number;
  /** One line naming what was stopped, for the user (empty when nothing was). */
  summary: string;
  /** Pids still alive after SIGKILL (stuck in the kernel): the kit reports failure. */
  survivors: number[];
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
  /**
   * Runs after start, before ready is said: waits briefly (the app bounds it)
   * for the first outcome of its work to show, so the ready answer `start`
   * prints can say what already went wrong.
   */
  settle?: (state: S, ctx: DaemonContext) => Promise<void>;
  /**
   * The tool's dashboard (page and assets), loaded on its first request: the
   * daemon serves it at `/`, behind the one-time-code login (`uiLoginCode`).
   */
  ui?: () => Promise<UiBundle>;
  /** Stops the tool's work; runs after the endpoint stopped accepting. */
  stop: (state: S, ctx: DaemonContext) => Promise<void>;
  /**
   * The longest `stop` may take (e.g. the services' stop timeouts along the
   * stop order). Published in daemon.json, so a plain `stop` waits for it.
   */
  stopBudgetMs?: (state: S) => number;
  /** SIGHUP: re-read configuration. Returns a one-line summary for the log. Never exits. */
  reload?: (state: S, ctx: DaemonContext) => Promise<string>;
  /** Lines the tool could not store (its own logs on a full disk), added to the status's `droppedLines`. */
  droppedLines?: (state: S) => number;
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
  /** Foreground with `--json`: the terminal gets one JSON object per line (`output` included). */
  json: boolean;
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
