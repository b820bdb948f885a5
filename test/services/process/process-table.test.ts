import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { killQuiet, ProcessTable, terminateGroup } from '../../../src/services/process/process-group.js';
import { isDead, waitDead } from '../helpers.js';

/** `count` detached `sh -c 'sleep 1000 & wait'` groups (leader and grandchild), SIGKILLed after the test. */
function groups(t: import('node:test').TestContext, count: number): ChildProcess[] {
  const list = Array.from({ length: count }, () => spawn('sh', ['-c', 'sleep 1000 & wait'], { detached: true, stdio: 'ignore' }));
  t.after(() => list.forEach((c) => killQuiet(-c.pid!, 'SIGKILL')));
  return list;
}

const exited = (c: ChildProcess) => () => c.exitCode !== null || c.signalCode !== null;

test('groups stopping together share one /proc scan per poll, grandchildren included', async (t) => {
  const since = performance.now();
  const children = groups(t, 40);
  const table = new ProcessTable();
  await new Promise((r) => setTimeout(r, 200)); // the shells fork their sleeps
  const members = children.flatMap((c) => table.members(c.pid!, since).map((p) => p.pid));
  assert.ok(members.length >= 60, `${members.length} processes in 40 groups`);
  const before = table.scans;
  const results = await Promise.all(children.map((c) => terminateGroup(c.pid!, { signal: 'SIGTERM', timeoutMs: 10_000, leaderGone: exited(c), table, since })));
  assert.deepEqual(new Set(results), new Set(['exited']));
  assert.ok(await waitDead(members), 'every member is gone');
  // One scan per group per poll would be 40 or more.
  assert.ok(table.scans - before < 20, `${table.scans - before} scans for 40 groups`);
});

test('waitEmpty is false at its deadline while a member ignoring SIGTERM lives', async (t) => {
  const since = performance.now();
  const [child] = [spawn('sh', ['-c', 'trap "" TERM; sleep 1000 & wait'], { detached: true, stdio: 'ignore' })];
  t.after(() => killQuiet(-child.pid!, 'SIGKILL'));
  const table = new ProcessTable();
  await new Promise((r) => setTimeout(r, 100));
  killQuiet(-child.pid!, 'SIGTERM');
  assert.equal(await table.waitEmpty(child.pid!, { since, leaderGone: exited(child), timeoutMs: 150 }), false);
  assert.equal(isDead(child.pid!), false);
  assert.equal(await terminateGroup(child.pid!, { signal: 'SIGTERM', timeoutMs: 100, leaderGone: exited(child), table, since }), 'killed');
  assert.equal(table.isEmpty(child.pid!, since), true);
});
