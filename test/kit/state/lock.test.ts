import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { acquireLock, AlreadyRunningError, LOCK_STALE_MS, type HeldLock } from '../../../src/kit/state/lock.js';
import { readOwner, writeOwner } from '../../../src/kit/state/owner.js';
import { instancePaths, type InstancePaths } from '../../../src/kit/state/paths.js';
import { processStartTime, bootId } from '../../../src/kit/process/process-info.js';

function instance(t: TestContext): InstancePaths {
  const root = mkdtempSync(join(tmpdir(), 'tend-lock-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const paths = instancePaths(root, '/some/project');
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  return paths;
}

const me = (instanceId: string) => ({ pid: process.pid, processStartTime: processStartTime(process.pid), bootId: bootId(), instanceId });

function take(t: TestContext, paths: InstancePaths, instanceId: string): Promise<HeldLock> {
  return acquireLock(paths, {
    owner: me(instanceId),
    onCompromised: (err) => assert.fail(`lock compromised: ${err.message}`),
  }).then((lock) => {
    t.after(() => lock.release());
    return lock;
  });
}

/** A pid that existed and is gone now (reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('acquireLock takes the lock and records its owner; release removes both', async (t) => {
  const paths = instance(t);
  const lock = await take(t, paths, 'a');
  assert.equal(existsSync(paths.lockDir), true);
  assert.deepEqual(readOwner(paths.ownerFile), me('a'));
  await lock.release();
  assert.equal(existsSync(paths.lockDir), false);
  assert.equal(readOwner(paths.ownerFile), null);
});

test('acquireLock refuses while a live owner holds the lock: ALREADY_RUNNING naming its pid', async (t) => {
  const paths = instance(t);
  await take(t, paths, 'first');
  await assert.rejects(take(t, paths, 'second'), (err) => {
    assert.ok(err instanceof AlreadyRunningError);
    assert.equal(err.code, 'ALREADY_RUNNING');
    assert.equal(err.pid, process.pid);
    // `start` reports this as success itself; reaching the CLI's boundary (`run`) it is exit 1, from the one table.
    assert.equal(err.exitCode, 1);
    return true;
  });
  assert.equal(readOwner(paths.ownerFile)?.instanceId, 'first');
});

test('acquireLock breaks at once a fresh lock whose recorded owner is dead', async (t) => {
  const paths = instance(t);
  mkdirSync(paths.lockDir);
  writeOwner(paths.ownerFile, { pid: deadPid(), processStartTime: '1', bootId: null, instanceId: 'dead' });
  const began = Date.now();
  await take(t, paths, 'new');
  assert.ok(Date.now() - began < LOCK_STALE_MS / 2, 'it waited for the lock to go stale');
  assert.equal(readOwner(paths.ownerFile)?.instanceId, 'new');
});

test('acquireLock breaks a lock whose owner never recorded itself', async (t) => {
  const paths = instance(t);
  mkdirSync(paths.lockDir);
  await take(t, paths, 'new');
  assert.equal(readOwner(paths.ownerFile)?.instanceId, 'new');
});

test('acquireLock treats an owner record whose start time does not match its pid (a reused pid) as dead', async (t) => {
  const paths = instance(t);
  mkdirSync(paths.lockDir);
  // Our own pid, but a start time that is not ours: a reused pid, not the owner.
  writeOwner(paths.ownerFile, { pid: process.pid, processStartTime: 'not-this-process', bootId: null, instanceId: 'old' });
  await take(t, paths, 'new');
  assert.equal(readOwner(paths.ownerFile)?.instanceId, 'new');
});

test('concurrent acquireLock calls: exactly one wins, the others are told who', async (t) => {
  const paths = instance(t);
  const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((id) => take(t, paths, id)));
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.equal(won.length, 1);
  for (const r of results) {
    if (r.status === 'rejected') assert.equal((r.reason as AlreadyRunningError).code, 'ALREADY_RUNNING');
  }
});
