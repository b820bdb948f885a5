import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../../helpers/sandbox.js';
import { startDaemon } from '../../helpers/kit.js';
import { collectStdout, exitOf } from '../../helpers/child.js';
import { waitFor } from '../../helpers/wait.js';

test('logs -f keeps following across a restart and shows the new daemon ready line', async (t) => {
  const box = makeSandbox(t);
  const first = await startDaemon(box);
  const follow = box.spawnCli(['logs', '-f', '-n', '1']);
  const out = collectStdout(follow);
  // -n 1 prints the first daemon's ready line: the follow is attached from here on.
  await waitFor(() => out.text().includes(`ready: pid ${first.pid}`), 15_000, 'logs -f to print the last line');

  const r = await box.cli(['restart', '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const second = JSON.parse(r.stdout);
  assert.notEqual(second.pid, first.pid);
  assert.equal(box.metadata()!.pid, second.pid);

  await waitFor(() => out.text().includes(`ready: pid ${second.pid}`), 15_000, "the new daemon's ready line in the same follow");
  assert.match(out.text(), /stopping: received SIGTERM/);
  follow.kill('SIGINT');
  assert.deepEqual(await exitOf(follow, 10_000), { code: 0, signal: null });
});

test('logs -n N prints the last N lines of the daemon log', async (t) => {
  const box = makeSandbox(t);
  const first = await startDaemon(box);
  const r = await box.cli(['logs', '-n', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  assert.match(r.stdout, new RegExp(`ready: pid ${first.pid}`));
});
