import type { InstancePaths } from '../state/paths.js';
import type { ReadyPipe } from './ready-pipe.js';
import type { TestFaults } from './test-faults.js';

/** How the daemon process was asked to run. */
export interface DaemonRunOptions {
  paths: InstancePaths;
  host: string;
  port: number;
  foreground: boolean;
  /** Foreground only: one JSON object per line on stdout (`{"service","daemon","time","line"}` for the daemon's own). */
  json?: boolean;
  pipe: ReadyPipe;
  /** Test-only misbehaviour (see test-faults.ts); none by default. */
  faults?: TestFaults;
  introspection?: boolean;
  drainMs?: number;
  /** Lifetime of a dashboard login code (tests shorten it; default 60 s). */
  uiCodeTtlMs?: number;
  /** A query whose answer goes on the ready pipe (what `start` would ask right after). */
  readyQuery?: string;
  /** The configuration file named on the command line, or null. */
  configFile?: string | null;
  /** What the tool's CLI launched it with (CliExtensions.launch). */
  launch?: unknown;
  /** Called once ready was said, with the daemon log (e.g. to save a code cache of what start-up ran). */
  afterReady?: (log: (line: string) => void) => void;
}

/** How long in-flight requests get to finish at shutdown. */
export const DEFAULT_DRAIN_MS = 5_000;
