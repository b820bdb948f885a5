import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CASES, KNOWN, profile, runCase } from './index.mjs';

/**
 * Registers the `ci` cases of one chaos group (test/chaos) as node:test
 * tests, `concurrency` at a time (each has its own state dir, project and
 * daemon). A known bug runs as a todo: it still runs and reports, without
 * failing the suite until it is fixed and removed from known.mjs.
 */
export function chaosTests(group: string, concurrency = 1): void {
  const cases = CASES.filter((c) => c.group === group && c.ci);
  assert.ok(cases.length > 0, `no ci case in group ${group}`);
  describe(group, { concurrency }, () => {
    for (const c of cases) {
      const known = KNOWN[c.id];
      test(`${c.title} [${c.id}]`, { timeout: 120_000, ...(known ? { todo: `known bug: ${known}` } : {}) }, async (t) => {
        const result = await runCase(c, profile('ci'));
        if (result.skipped) return t.skip(result.skipped);
        t.diagnostic(result.figures);
        assert.deepEqual(result.failures, [], `${c.id}: ${result.failures.join('\n')}`);
      });
    }
  });
}
