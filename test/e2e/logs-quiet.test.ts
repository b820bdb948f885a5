import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { startDaemon } from '../helpers/kit.js';
import { until } from '../helpers/wait.js';

const PROJECT = 'services:\n  quiet:\n    command: sleep 600\n  loud:\n    command: echo hello from loud; sleep 600\n';

test('logs NAME of a service that printed nothing prints nothing, says so on stderr, exit 0', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': PROJECT });
  await startDaemon(box);
  const r = await box.cli(['logs', 'quiet']);
  assert.equal(r.code, 0, r.stderr);
  // Only its run's start marker: no output line.
  assert.deepEqual(r.stdout.split('\n').filter(Boolean).filter((l) => !/^quiet \| --- run \d+ started \(pid \d+\)$/.test(l)), []);
  assert.match(r.stderr, /quiet has printed nothing yet/);
});

test('logs with a quiet service named next to another prints the other one', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': PROJECT });
  await startDaemon(box);
  await until('loud to print', async () => (await box.cli(['logs', 'loud'])).stdout.includes('hello from loud'));
  const r = await box.cli(['logs', 'quiet', 'loud']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /loud +\| hello from loud/);
  assert.doesNotMatch(r.stderr, /printed nothing/);
});

test('logs of a name that is no service is still an error, after printing the services that are', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': PROJECT });
  await startDaemon(box);
  await until('loud to print', async () => (await box.cli(['logs', 'loud'])).stdout.includes('hello from loud'));
  const r = await box.cli(['logs', 'loud', 'nosuch']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /hello from loud/);
  assert.match(r.stderr, /no log for nosuch/);
});
