import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TeardownStack } from '../../../src/kit/lifecycle/teardown.js';
import { parseTestFaults } from '../../../src/kit/lifecycle/test-faults.js';

test('the teardown stack runs last-first, once, and keeps going past a failing step', async () => {
  const done: string[] = [];
  const logged: string[] = [];
  const stack = new TeardownStack((line) => logged.push(line));
  stack.push('releasing the lock', () => void done.push('lock'));
  stack.push('stopping the app', async () => {
    done.push('app');
    throw new Error('app stuck');
  });
  stack.push('closing the endpoint', () => void done.push('endpoint'));
  await Promise.all([stack.run(), stack.run()]);
  await stack.run();
  assert.deepEqual(done, ['endpoint', 'app', 'lock']);
  assert.deepEqual(logged, ['stopping the app failed: app stuck']);
});

test('test faults parse from the env value into one object; anything unknown is no fault', () => {
  assert.deepEqual(parseTestFaults('after-bind'), { killAt: 'after-bind' });
  assert.deepEqual(parseTestFaults('hang-before-ready'), { hangAt: 'before-ready' });
  assert.deepEqual(parseTestFaults('ignore-sigterm'), { ignoreSigterm: true });
  assert.deepEqual(parseTestFaults('nonsense'), { killAt: undefined });
  assert.deepEqual(parseTestFaults(undefined), { killAt: undefined });
});
