import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
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
  const { projectDir, configFile } = resolveProject(def, args, io);
  const paths = instancePaths(stateRoot({ name: def.name, env: io.env }), projectDir);
  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in io.env);
  return {
    def,
    paths,
    configFile,
    json: Boolean(args.json),
    env: io.env,
    out: (t) => void io.stdout.write(t),
    err: (t) => void io.stderr.write(t),
    color,
    daemonArgs: (flags) => daemonArgs(projectDir, { ...flags, file: configFile }),
    signal,
    extensions,
  };
}

// `--file` (or <NAME>_FILE) names the configuration, and its dir is the project;
// else `--dir` (or <NAME>_DIR); else the nearest ancestor with a marker.
function resolveProject(def: DaemonDefinition<unknown>, args: Args, io: CliIo): { projectDir: string; configFile: string | null } {
  const file = (args.file as string | undefined) ?? io.env[`${envPrefix(def.name)}_FILE`];
  if (file) {
    if (io.cwd === null && !isAbsolute(file)) {
      throw new InputError(`the current directory no longer exists (deleted?); cd to the project, or pass --file with an absolute path`);
    }
    const absolute = isAbsolute(file) ? file : resolve(io.cwd!, file);
    const fileSource = args.file !== undefined ? `--file ${file}` : `${envPrefix(def.name)}_FILE=${file}`;
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (!stat) throw new InputError(`${fileSource}: no such file`);
    if (!stat.isFile()) throw new InputError(`${fileSource}: not a regular file`);
    const real = realpathSync(absolute);
    return { projectDir: dirname(real), configFile: real };
  }
  const envName = `${envPrefix(def.name)}_DIR`;
  const flag = args.dir as string | undefined;
  const given = flag ?? io.env[envName];
  if (io.cwd === null && !(given && isAbsolute(given))) {
    throw new InputError(`the current directory no longer exists (deleted?); cd to the project, or pass --dir with an absolute path`);
  }
  if (!given) return { projectDir: findProjectDir(io.cwd!, def.projectMarkers ?? []), configFile: null };
  // Name where the value came from: a stale TEND_DIR in the shell is not a typo on this command line.
  const source = flag !== undefined ? `--dir ${given}` : `${envName}=${given}`;
  const dir = isAbsolute(given) ? given : resolve(io.cwd!, given);
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`${source}: no such directory`);
  if (!stat.isDirectory()) throw new InputError(`${source}: not a directory`);
  return { projectDir: realpathSync(dir), configFile: null };
}
