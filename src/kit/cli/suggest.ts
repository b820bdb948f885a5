import { closest, distance } from 'fastest-levenshtein';
import { InputError } from '../errors.js';
import type { OptionSpec } from './spec.js';

/**
 * `Unknown argument: prot` from yargs, with the nearest known option named
 * ("did you mean --port?") when one is close enough to be a typo.
 */
export function unknownOptionMessage(message: string, options: Record<string, OptionSpec>): string | null {
  const m = /^Unknown arguments?: (.*)$/.exec(message);
  if (!m) return null;
  const known = Object.entries(options).flatMap(([name, o]) => [name, ...(o.alias ? [o.alias] : [])]);
  known.push('help', 'version');
  const typed = m[1]!.split(', ').filter(Boolean);
  const hints = typed.map((word) => {
    const near = nearest(word, known);
    return near ? `${dash(word)} (did you mean ${dash(near)}?)` : dash(word);
  });
  return `unknown option${typed.length > 1 ? 's' : ''} ${hints.join(', ')}`;
}

/** The known word within typo distance of `word` (at most 2 edits, and fewer than its length), or null. */
export function nearest(word: string, known: string[]): string | null {
  if (!known.length) return null;
  const best = closest(word, known);
  const d = distance(word, best);
  return d <= 2 && d < best.length ? best : null;
}

function dash(word: string): string {
  return word.length === 1 ? `-${word}` : `--${word}`;
}
