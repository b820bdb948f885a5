import type { DaemonDefinition } from '../define.js';
import type { InstancePaths } from '../state/paths.js';

/** One option of a command, in the shape yargs (and yargs-parser) take. */
export interface OptionSpec {
  type: 'boolean' | 'string' | 'number' | 'count';
  describe: string;
  alias?: string;
  default?: unknown;
  hidden?: boolean;
  /**
   * May be given more than once (`--profile a --profile b`): the value is then
   * a list. Not yargs' `array`, which would swallow the positionals after it.
   */
  repeatable?: boolean;
}

/** Parsed arguments as a command handler receives them. */
export type Args = Record<string, unknown> & { _: (string | number)[] };

/** What every command handler is given. */
export interface CommandContext {
  def: DaemonDefinition<unknown>;
  paths: InstancePaths;
  /** The configuration file named by `--file`/`-F`/`<NAME>_FILE` (absolute), or null. */
  configFile: string | null;
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Human text (stdout). */
  out: (text: string) => void;
  /** Warnings and errors (stderr). */
  err: (text: string) => void;
  /** Colour only on a TTY and without NO_COLOR. */
  color: boolean;
  /** Arguments that re-run this program in daemon mode. */
  daemonArgs: (flags: { host: string; port: number; launch?: unknown }) => string[];
  /** Aborted on Ctrl-C, for commands that wait (logs -f, --watch). */
  signal: AbortSignal;
  /** The CLI's extensions, for commands that delegate to each other (restart -> start). */
  extensions: CliExtensions;
}

/** A command handler: thin, returns the exit code, throws DaemonError on failure. */
export type CommandHandler = (args: Args, ctx: CommandContext) => Promise<number>;

/** A CLI command described as data, so its implementation can be imported lazily. */
export interface CommandSpec {
  /** yargs command string, e.g. `start [services..]`. */
  command: string;
  /** Other names of the command (`list` for `ls`). */
  aliases?: string[];
  describe: string;
  options?: Record<string, OptionSpec>;
  /** Positional descriptions, by name. */
  positionals?: Record<string, { describe: string; type: 'string' | 'number'; array?: boolean }>;
  examples?: [string, string][];
  load: () => Promise<CommandHandler>;
}

/** What a tool adds to the kit's CLI. */
export interface CliExtensions {
  /** Commands added, or replacing the kit's own with the same name. */
  commands?: CommandSpec[];
  /**
   * What the tool's daemon is launched with, from `start`/`run`/`restart`'s
   * arguments (JSON-serializable; the daemon sees it as `ctx.launch`).
   */
  launch?: (args: Args, ctx: CommandContext) => unknown;
  /** More fields fetched and shown by `status` (and returned by `start`). */
  status?: {
    selection: string;
    human: (extra: Record<string, unknown>, color: boolean) => string[];
    json: (extra: Record<string, unknown>) => Record<string, unknown>;
  };
  /** Completion values of a positional (tend: `services`, the project's service names); read only, start nothing. */
  complete?: (positional: string, projectDir: string) => Promise<string[]>;
  /** More columns of `ls`, fetched from each running daemon with `selection`. */
  list?: {
    selection: string;
    columns: string[];
    /** One cell per column, for a running daemon. */
    cells: (extra: Record<string, unknown>) => string[];
    /** More JSON fields (`running` false: the daemon did not answer; give nulls). */
    json: (extra: Record<string, unknown>, running: boolean) => Record<string, unknown>;
  };
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  dir: { type: 'string', describe: 'project directory (default: nearest ancestor with a project file, else cwd)' },
  file: { type: 'string', alias: 'F', describe: 'configuration file (its dir is the project)' },
  json: { type: 'boolean', describe: 'print one JSON object on stdout', default: false },
};

/** Options of `start`, `run` and `restart`. */
export const ENDPOINT_OPTIONS: Record<string, OptionSpec> = {
  port: { type: 'number', describe: 'port of the GraphQL endpoint (0: the OS picks)' },
  host: { type: 'string', describe: 'address to bind (non-loopback prints a warning)' },
};

/** Options of `start` and `restart`. */
export const WAIT_OPTIONS: Record<string, OptionSpec> = {
  'wait-timeout': { type: 'number', describe: 'seconds to wait for the daemon to be ready', default: 10 },
};

/** Options of `stop` and `restart`. */
export const STOP_OPTIONS: Record<string, OptionSpec> = {
  timeout: { type: 'number', describe: 'seconds to wait for the daemon to exit (default: what the daemon says its stop needs, at least 10)' },
  force: { type: 'boolean', describe: 'SIGKILL the daemon if it is still alive after --timeout', default: false },
};

/** `stop --all`. */
export const STOP_ALL_OPTION: Record<string, OptionSpec> = {
  all: { type: 'boolean', describe: 'stop every running daemon of this user (each with the identity checks of stop)', default: false },
};

/** How to name a rejected option value in a message: yargs turns `--port abc` into NaN. */
export function given(value: unknown): string {
  return typeof value === 'number' && Number.isNaN(value) ? 'not a number' : `not ${String(value)}`;
}
