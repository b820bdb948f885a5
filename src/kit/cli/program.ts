import yargs from 'yargs';
import type { DaemonDefinition } from '../define.js';
import { InputError } from '../errors.js';
import { allCommands, commandContext, commandName, type CliIo } from './context.js';
import { GLOBAL_OPTIONS, type Args, type CliExtensions } from './spec.js';
import { checkNumberOptions } from './number-options.js';
import { unknownOptionMessage } from './suggest.js';

/**
 * Parses argv with yargs and runs one command; returns its exit code. Errors
 * thrown by commands come back as exceptions for the caller's boundary.
 */
export async function runCli(
  def: DaemonDefinition<unknown>,
  extensions: CliExtensions,
  argv: string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  let exitCode = 0;
  const commands = allCommands(def, extensions);
  const word = argv.find((a) => commands.some((c) => commandName(c) === a));
  const chosen = commands.find((c) => commandName(c) === word);
  checkNumberOptions(argv, { ...GLOBAL_OPTIONS, ...chosen?.options });
  const parser = yargs(argv)
    .scriptName(def.name)
    .version(def.version)
    .usage(`${def.name} <command> [options]`)
    .strict()
    .demandCommand(1, `a command is needed; see '${def.name} --help'`)
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .options(GLOBAL_OPTIONS)
    .wrap(null)
    .fail((message, err) => {
      if (err) throw err;
      // recommendCommands says only "Did you mean logs?": name what was typed.
      const spec = chosen;
      // Decided from argv and our own command list, not from yargs' wording.
      const first = argv[0];
      const unknownCommand = first !== undefined && !first.startsWith('-') && !commands.some((c) => commandName(c) === first || c.aliases?.includes(first));
      const what = unknownCommand
        ? `unknown command "${first}". ${message}`
        : (unknownOptionMessage(message, { ...GLOBAL_OPTIONS, ...spec?.options }) ?? message);
      // Some messages (demandCommand's) already point at the help.
      const hint = what.includes('--help') ? '' : ` See '${def.name}${spec ? ` ${commandName(spec)}` : ''} --help'.`;
      throw new InputError(`${what}${/[.?!]$/.test(what) ? '' : '.'}${hint}`);
    });
  for (const spec of commands) {
    const rest = spec.command.slice(spec.command.split(' ')[0]!.length);
    parser.command(
      [spec.command, ...(spec.aliases ?? []).map((a) => a + rest)],
      spec.describe,
      (y) => {
        for (const [name, p] of Object.entries(spec.positionals ?? {})) y.positional(name, p);
        if (spec.options) y.options(spec.options);
        for (const [cmd, what] of spec.examples ?? []) y.example(cmd, what);
        return y;
      },
      async (args) => {
        const handler = await spec.load();
        exitCode = await handler(args as Args, commandContext(def, extensions, args as Args, io, signal));
      },
    );
  }
  await parser.parseAsync();
  return exitCode;
}

