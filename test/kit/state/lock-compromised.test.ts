import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox } from '../../helpers/sandbox.js';
import { startDaemon } from '../../helpers/kit.js';
import { waitGone } from '../../helpers/proc.js';

test('a daemon whose lock is removed from under it logs it and shuts down cleanly', async (t) => {
  const box = makeSandbox(t);
  const { pid, instanceId } = await startDaemon(box);
  rmSync(box.paths().lockDir, { recursive: true, force: true });
  // proper-lockfile notices at its next refresh (half the 10 s stale time).
  assert.ok(await waitGone(pid, 20_000), 'the daemon kept running without its lock');
  const log = readFileSync(box.paths().logFile, 'utf8');
  assert.match(log, /lock was compromised|was removed under the running daemon/);
  assert.match(log, /stopped \(exit 1\)/);
  assert.equal(existsSync(box.paths().metadataFile), false, `metadata of ${instanceId} left behind`);
});
