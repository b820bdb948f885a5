/** What a duration should look like; part of every duration error. */
export const DURATION_HINT = 'expected a duration such as 500ms, 2s or 1m';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
// `ms` before `m`, or "500ms" would read as 500 minutes followed by garbage.
const TERM = `(${NUMBER})(ms|s|m|h)`;

/**
 * Milliseconds from `500ms`, `1.5s`, `1m30s`, `2h`, or a bare number of seconds;
 * undefined when the value is not a finite, non-negative duration.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (new RegExp(`^${NUMBER}$`).test(text)) return Math.round(Number(text) * 1000);
  if (!new RegExp(`^(?:${TERM})+$`).test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(new RegExp(TERM, 'g'))) total += Number(amount) * UNIT_MS[unit!]!;
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
