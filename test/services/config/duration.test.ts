import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../../src/services/config/index.js';

test('durations with units, combined units and bare seconds become milliseconds', () => {
  const cases: [unknown, number][] = [
    ['500ms', 500],
    ['1s', 1000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['0', 0],
    ['2.5', 2500],
    [3, 3000],
    [0.25, 250],
    [0, 0],
  ];
  for (const [input, ms] of cases) assert.equal(parseDuration(input), ms, `${String(input)}`);
});

test('anything else is not a duration', () => {
  for (const input of ['', 'soon', '10 seconds', '-1s', '5x', 's', '1s2', '1.s', -1, Number.POSITIVE_INFINITY, Number.NaN, null, true, [], {}]) {
    assert.equal(parseDuration(input), undefined, `${JSON.stringify(input)}`);
  }
});
