import parse from 'yargs-parser';
import { InputError } from '../errors.js';
import type { OptionSpec } from './spec.js';

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
