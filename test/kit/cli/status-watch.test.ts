import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../../helpers/sandbox.js';
import { startDaemon } from '../../helpers/kit.js';
import { collectStdout, exitOf } from '../../helpers/child.js';
import { waitFor } from '../../helpers/wait.js';

test('status --watch --json prints live updates from the subscription and ends when the daemon stops', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  const watch = box.spawnCli(['status', '--watch', '--json', '--interval', '0.2']);
  const out = collectStdout(watch);
  const updates = () => out.text().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  await waitFor(() => updates().length >= 3, 20_000, 'three status updates');
  const seen = updates();
  for (const u of seen) {
    assert.equal(u.state, 'running');
    assert.equal(u.pid, daemon.pid);
    assert.equal(u.instanceId, daemon.instanceId);
  }
  assert.ok(seen[2].uptimeSeconds > seen[0].uptimeSeconds, 'uptime moves between updates');

  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 0, stop.stderr);
  // Ends by itself: no Ctrl-C needed.
  const exit = await exitOf(watch, 10_000);
  assert.equal(exit.signal, null);
  assert.equal(exit.code, 3);
});

test('status --watch with no daemon exits 3 at once', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['status', '--watch', '--json']);
  assert.equal(r.code, 3, r.stdout + r.stderr);
});
