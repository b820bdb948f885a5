import parse from 'yargs-parser';
import type { DaemonDefinition } from '../define.js';
import { checkNumberOptions } from './number-options.js';
import { allCommands, commandContext, commandName, type CliIo } from './context.js';
import { GLOBAL_OPTIONS, type Args, type CliExtensions, type CommandSpec, type OptionSpec } from './spec.js';

/**
 * Runs a command without loading yargs (~80 ms of start-up, most of it its
 * help layout), when the arguments are plainly valid for it: parsed by
 * yargs-parser, the parser yargs itself uses, from the same option specs.
 * A lone `--version` is answered here too. Anything else (help, an unknown option, a bad positional) returns
 * null, and yargs handles it with its full checks and messages.
 */
export async function tryFastPath(
  def: DaemonDefinition<unknown>,
  extensions: CliExtensions,
  argv: string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number | null> {
  // yargs' own answer to a lone `--version`, without loading yargs.
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout.write(`${def.version}\n`);
    return 0;
  }
  const spec = allCommands(def, extensions).find((c) => commandName(c) === argv[0] || c.aliases?.includes(argv[0]!));
  if (!spec) return null;
  const args = parseFor(spec, argv.slice(1));
  if (!args) return null;
  const handler = await spec.load();
  return handler(args, commandContext(def, extensions, args, io, signal));
}

/** Parses `rest` for `spec`; null when yargs should take over. */
export function parseFor(spec: CommandSpec, rest: string[]): Args | null {
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...spec.options };
  const known = new Set<string>(['_', '$0']);
  const config = { boolean: [] as string[], string: [] as string[], number: [] as string[], alias: {} as Record<string, string>, default: {} as Record<string, unknown> };
  for (const [name, o] of Object.entries(options)) {
    if (o.type === 'count') return null;
    config[o.type].push(name);
    if (o.alias) config.alias[name] = o.alias;
    if (o.default !== undefined) config.default[name] = o.default;
    for (const n of [name, o.alias, camel(name)]) if (n) known.add(n);
  }
  const parsed = parse(rest, { ...config, configuration: { 'strip-dashed': false } }) as Args;
  // `--port abc`, `--timeout` with no value: yargs-parser would give NaN or the default; yargs refuses them.
  try {
    checkNumberOptions(rest, options);
  } catch {
    return null;
  }
  if (Object.keys(parsed).some((k) => !known.has(k))) return null; // --help, --version, typos
  for (const [name, o] of Object.entries(options)) {
    const v = parsed[name];
    if (o.type === 'number' && v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) return null;
    if (o.repeatable && Array.isArray(v)) {
      if (v.some((x) => typeof x !== o.type)) return null;
      continue;
    }
    if (o.type === 'string' && v !== undefined && typeof v !== 'string') return null;
    if (Array.isArray(v)) return null; // an option given twice: yargs decides
  }
  return assignPositionals(spec, parsed);
}

// `start [services..]`, `logs [services..]`, `service <name>`: the same
// positional rules yargs applies, for the forms tools use.
function assignPositionals(spec: CommandSpec, args: Args): Args | null {
  const words = args._.map(String);
  const slots = spec.command.split(' ').slice(1);
  for (const slot of slots) {
    const m = /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(slot);
    if (!m) return null;
    const [, bracket, name, variadic] = m;
    if (variadic) {
      args[name!] = words.splice(0);
    } else if (words.length) {
      args[name!] = words.shift();
    } else if (bracket === '<') {
      return null;
    }
  }
  if (words.length) return null;
  args._ = [];
  return args;
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
