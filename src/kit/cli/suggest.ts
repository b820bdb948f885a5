import { closest, distance } from 'fastest-levenshtein';
import parse from 'yargs-parser';
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

/**
 * Refuses a number option given a value that is not a number, quoting it
 * back: yargs would hand the command NaN, and the message could only say
 * "not a number". The same parser as yargs, with those options read as text.
 */
export function checkNumberOptions(argv: string[], options: Record<string, OptionSpec>): void {
  const numbers = Object.entries(options).filter(([, o]) => o.type === 'number');
  if (!numbers.length) return;
  const alias = Object.fromEntries(numbers.filter(([, o]) => o.alias).map(([name, o]) => [name, o.alias!]));
  const parsed = parse(argv, { string: numbers.map(([name]) => name), alias });
  for (const [name, o] of numbers) {
    const values = ([] as unknown[]).concat(parsed[name] ?? []);
    for (const v of values) {
      const text = String(v).trim();
      if (text === '' || Number.isNaN(Number(text))) {
        const flag = o.alias ? `-${o.alias}/--${name}` : `--${name}`;
        throw new InputError(`${flag} needs a number, not ${JSON.stringify(String(v))}`);
      }
    }
  }
}

function dash(word: string): string {
  return word.length === 1 ? `-${word}` : `--${word}`;
}
