import { InputError } from '../kit/errors.js';
import type { Args } from '../kit/cli/spec.js';
import { parseDuration } from '../services/config/duration.js';
import type { LogViewOptions } from '../services/log/log-view.js';

/** The default of `-n` when neither `--since` nor `--previous` says which lines. */
export const DEFAULT_LINES = 50;

/**
 * `logs` flags as a view: `-n` (default 50; every line with `--since` or
 * `--previous`), `--since`/`--until` (a duration back from `now`, or a time),
 * `--grep` (a regular expression on the line's text), `--previous`, `-f`.
 */
export function logViewFlags(args: Args, signal: AbortSignal, now = Date.now()): LogViewOptions {
  const since = timeFlag('since', args.since, now);
  const until = timeFlag('until', args.until, now);
  const previous = Boolean(args.previous);
  const n = args.lines;
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 0)) {
    throw new InputError(`-n must be a whole number >= 0, not ${Number.isNaN(n) ? 'a number' : String(n)}`);
  }
  let grep: RegExp | undefined;
  if (args.grep !== undefined) {
    try {
      grep = new RegExp(String(args.grep));
    } catch (err) {
      throw new InputError(`--grep ${String(args.grep)}: not a valid regular expression (${(err as Error).message})`, { cause: err });
    }
  }
  const lines = n ?? (since !== undefined || previous ? undefined : DEFAULT_LINES);
  return { lines: lines as number | undefined, since, until, grep, previous, follow: Boolean(args.follow), signal };
}

/** `5m` (that long before `now`), `2026-12-01T10:00:00Z` or any date-time with a time zone; undefined when not given. */
export function timeFlag(flag: string, value: unknown, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const ago = /^\d/.test(text) && !text.includes('-') ? parseDuration(text) : undefined;
  if (ago !== undefined) return now - ago;
  const time = /\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(time)) {
    throw new InputError(`--${flag} ${text}: expected a duration back from now (30s, 5m, 1h30m) or a time (2026-12-01T10:00:00Z)`);
  }
  return time;
}
