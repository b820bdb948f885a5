import { resolve } from 'node:path';
import type { DaemonDefinition } from '../define.js';
import { envPrefix, findProjectDir } from '../state/paths.js';
import { allCommands, commandName, type CliIo } from './context.js';
import { GLOBAL_OPTIONS, type CliExtensions, type CommandSpec, type OptionSpec } from './spec.js';

/** The hidden command the completion scripts call: `<tool> __complete WORD… CURRENT`. */
export const COMPLETE_COMMAND = '__complete';

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/**
 * The candidates for the word being completed, given the words before it
 * (after the program's name) and the word itself (possibly empty): commands,
 * then a command's flags (on `-`), then its positional values (tend: the
 * project's service names, from its config; nothing is started). One per
 * line, filtered by what is typed so far. Never fails: a broken config gives
 * no names.
 */
export async function completionCandidates(def: DaemonDefinition<unknown>, extensions: CliExtensions, words: string[], io: CliIo): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const commands = allCommands(def, extensions);
  const takesValue = (spec: CommandSpec | undefined, word: string): boolean => {
    const option = findOption(spec, word);
    return option !== undefined && option.type !== 'boolean' && option.type !== 'count' && !word.includes('=');
  };
  let spec: CommandSpec | undefined;
  let dir: string | undefined;
  const given: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const word = before[i]!;
    if (word.startsWith('-')) {
      if (takesValue(spec, word)) {
        if (word === '--dir') dir = before[i + 1];
        i++;
      }
      continue;
    }
    if (spec === undefined) spec = commands.find((c) => commandName(c) === word || c.aliases?.includes(word));
    else given.push(word);
  }
  const previous = before.at(-1);
  if (previous !== undefined && previous.startsWith('-') && takesValue(spec, previous)) return [];
  let candidates: string[];
  if (current.startsWith('-')) {
    candidates = flagsOf(spec);
  } else if (spec === undefined) {
    candidates = commands.flatMap((c) => [commandName(c), ...(c.aliases ?? [])]).filter((c) => !c.startsWith('_'));
  } else if (commandName(spec) === 'completion') {
    candidates = given.length ? [] : [...SHELLS];
  } else if (spec.positionals && extensions.complete) {
    const projectDir = projectFor(def, dir, io);
    const names = await Promise.all(Object.keys(spec.positionals).map((p) => extensions.complete!(p, projectDir).catch(() => [])));
    candidates = names.flat().filter((n) => !given.includes(n));
  } else {
    candidates = [];
  }
  return candidates.filter((c) => c.startsWith(current));
}

function findOption(spec: CommandSpec | undefined, word: string): OptionSpec | undefined {
  const name = word.replace(/^--?/, '').split('=')[0]!;
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...spec?.options };
  return options[name] ?? Object.values(options).find((o) => o.alias === name);
}

function flagsOf(spec: CommandSpec | undefined): string[] {
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...spec?.options, help: { type: 'boolean', describe: '' } };
  return Object.entries(options).flatMap(([name, o]) => (o.hidden ? [] : [`--${name}`, ...(o.alias ? [o.alias.length === 1 ? `-${o.alias}` : `--${o.alias}`] : [])]));
}

function projectFor(def: DaemonDefinition<unknown>, dir: string | undefined, io: CliIo): string {
  const given = dir ?? io.env[`${envPrefix(def.name)}_DIR`];
  const cwd = io.cwd ?? '/'; // a deleted cwd: only an absolute --dir can name the project
  try {
    return given ? resolve(cwd, given) : findProjectDir(cwd, def.projectMarkers ?? []);
  } catch {
    return cwd;
  }
}
