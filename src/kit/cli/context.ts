import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DaemonDefinition } from '../define.js';
import { InputError } from '../errors.js';
import { envPrefix, findProjectDir, instancePaths, stateRoot } from '../state/paths.js';
import { daemonArgs } from '../lifecycle/daemon-args.js';
import { kitCommands } from './kit-commands.js';
import type { Args, CliExtensions, CommandContext, CommandSpec } from './spec.js';

/** Process-level things the CLI uses; tests pass their own. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** Null when the current directory was deleted (only an absolute --dir works then). */
  cwd: string | null;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** Commands of a tool: the kit's, with the tool's added or replacing them by name. */
export function allCommands(def: DaemonDefinition<unknown>, extensions: CliExtensions): CommandSpec[] {
  const mine = new Map((extensions.commands ?? []).map((c) => [commandName(c), c]));
  // A tool's command replaces the kit's of the same name in place, keeping the help's order.
  const kit = kitCommands(def.name).map((c) => {
    const own = mine.get(commandName(c));
    mine.delete(commandName(c));
    return own ?? c;
  });
  return [...kit, ...mine.values()];
}

/** The first word of a yargs command string. */
export function commandName(spec: CommandSpec): string {
  return spec.command.split(' ')[0]!;
}

/** Builds what a command handler is given, resolving the project from --dir / <NAME>_DIR / cwd. */
export function commandContext(
  def: DaemonDefinition<unknown>,
  extensions: CliExtensions,
  args: Args,
  io: CliIo,
  signal: AbortSignal,
): CommandContext {
  const projectDir = resolveProject(def, args, io);
  const paths = instancePaths(stateRoot({ name: def.name, env: io.env }), projectDir);
  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env);
  return {
    def,
    paths,
    json: Boolean(args.json),
    env: io.env,
    out: (t) => void io.stdout.write(t),
    err: (t) => void io.stderr.write(t),
    color,
    daemonArgs: (flags) => daemonArgs(projectDir, flags),
    signal,
    extensions,
  };
}

function resolveProject(def: DaemonDefinition<unknown>, args: Args, io: CliIo): string {
  const envName = `${envPrefix(def.name)}_DIR`;
  const flag = args.dir as string | undefined;
  const given = flag ?? io.env[envName];
  if (io.cwd === null && !(given && isAbsolute(given))) {
    throw new InputError(`the current directory no longer exists (deleted?); cd to the project, or pass --dir with an absolute path`);
  }
  if (!given) return findProjectDir(io.cwd!, def.projectMarkers ?? []);
  // Name where the value came from: a stale TEND_DIR in the shell is not a typo on this command line.
  const source = flag !== undefined ? `--dir ${given}` : `${envName}=${given}`;
  const dir = isAbsolute(given) ? given : resolve(io.cwd!, given);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`${source}: no such directory`);
  if (!stat.isDirectory()) throw new InputError(`${source}: not a directory`);
  return realpathSync(dir);
}
