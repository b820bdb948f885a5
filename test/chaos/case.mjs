// What a chaos case is, how it is run, and how its outcome is named.
import { KNOWN } from './known.mjs';
import { describeResult } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

/** Sizes per profile: `ci` (npm test, fast), `short` (npm run chaos in CI, < 3 min), `long` (release). */
export function profile(name) {
  if (!['ci', 'short', 'long'].includes(name)) throw new Error(`unknown profile ${name} (ci | short | long)`);
  return { name, pick: (sizes) => sizes[name] ?? sizes.short };
}

/**
 * Collects what went wrong in a case. `expect(ok, message)` records a
 * failure without stopping the case, so one run reports every broken rule.
 */
export function checks() {
  const failures = [];
  return {
    failures,
    expect(ok, message) {
      if (!ok) failures.push(typeof message === 'function' ? message() : message);
      return Boolean(ok);
    },
  };
}

/**
 * A case that runs `body(run, p, c)` in its own sandbox (`sandbox` names its
 * temp dir; `run` as run.mjs makes it), `c` being the case's checks(). The
 * body resolves to `{ figures, notes?, skipped? }`; the failures are c's
 * unless it returns its own.
 */
export function chaosCase({ sandbox, ...meta }, body) {
  return {
    ...meta,
    run: (p) =>
      withRun(sandbox, async (run) => {
        const c = checks();
        try {
          const out = await body(run, p, c);
          return { ...out, failures: out?.failures ?? c.failures };
        } catch (err) {
          if (err instanceof Skip) return { skipped: err.message, failures: [] };
          throw err;
        }
      }),
  };
}

/**
 * A case run once per row of `rows`, each in a fresh sandbox:
 * `body(run, row, c, p)` returns that row's figure; the case's figures are
 * the rows', joined by `joiner` (default '; ').
 */
export function tableCase({ sandbox, joiner = '; ', ...meta }, rows, body) {
  return {
    ...meta,
    run: async (p) => {
      const c = checks();
      const out = [];
      for (const row of rows) out.push(await withRun(sandbox, (run) => body(run, row, c, p)));
      return { figures: out.filter(Boolean).join(joiner), failures: c.failures };
    },
  };
}

/** Thrown by a case that cannot inject its fault here (e.g. no tmpfs without root): the case is skipped, with why. */
export class Skip extends Error {}

/** Runs `tend start ARGS` and records a failure unless it exits 0; returns the result. */
export async function expectStart(run, c, args = []) {
  const up = await run.cli(['start', ...args]);
  c.expect(up.code === 0, `start: ${describeResult(up)}`);
  return up;
}

/**
 * Runs one case: `{ id, group, title, run(profile) }` where run resolves to
 * `{ figures, failures, skipped? }`. A thrown error is a failure, not a crash
 * of the table. Status: pass | fail | skip | known (a known bug, still
 * failing) | xpass (listed as known but passed: update known.mjs).
 */
export async function runCase(c, p) {
  const started = Date.now();
  let out;
  try {
    out = await c.run(p);
  } catch (err) {
    out = { figures: '', failures: [`threw: ${err?.stack ?? err}`] };
  }
  const failures = out.failures ?? [];
  const known = KNOWN[c.id];
  let status = out.skipped ? 'skip' : failures.length ? 'fail' : 'pass';
  if (known && status === 'fail') status = 'known';
  if (known && status === 'pass') status = 'xpass';
  return {
    id: c.id,
    group: c.group,
    title: c.title,
    status,
    figures: out.figures ?? '',
    notes: out.notes ?? [],
    failures,
    skipped: out.skipped,
    known,
    ms: Date.now() - started,
  };
}

/** Median and high percentiles of a list of numbers. */
export function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN);
  return { n: v.length, p50: at(0.5), p95: at(0.95), max: v.length ? v[v.length - 1] : NaN };
}

/** A small seeded PRNG (mulberry32), so a storm can be replayed from its seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
