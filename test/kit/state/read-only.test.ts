import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox } from '../../helpers/sandbox.js';
import { startDaemon } from '../../helpers/kit.js';
import { waitGone } from '../../helpers/proc.js';

test('status and logs create nothing where no daemon ever ran', async (t) => {
  const box = makeSandbox(t);
  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 3, status.stderr);
  assert.deepEqual(JSON.parse(status.stdout), { state: 'stopped', pid: null });
  const logs = await box.cli(['logs']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stderr, /no log yet/);
  assert.equal(existsSync(box.stateDir), false, 'a read-only command made the state dir');
});

test('status leaves the state of a killed daemon in place', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box);
  process.kill(pid, 'SIGKILL');
  assert.ok(await waitGone(pid));
  const before = readdirSync(box.paths().dir).sort();
  for (const args of [['status'], ['status', '--json'], ['logs']]) await box.cli(args);
  assert.deepEqual(readdirSync(box.paths().dir).sort(), before);
});
