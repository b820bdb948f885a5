import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { groupMembers } from '../../src/services/process/process-group.js';
import { deadline, isDead, logOutput, service, supervise, untilState, waitDead } from './helpers.js';
import { serviceFiles } from '../../src/kit/state/paths.js';

/** Pids of the group led by `pid`, once it has `count` live members. */
async function membersOf(pid: number, count: number): Promise<number[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const members = groupMembers(pid).map((p) => p.pid);
    if (members.length >= count || Date.now() > deadline) return members;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('stop kills the grandchild of sh -c "sleep 1000 & wait"', async (t) => {
  const { sup } = supervise(t, [service('tree', 'sleep 1000 & wait')]);
  await sup.start();
  await sup.waitReady(undefined, deadline());
  const leader = sup.get('tree')!.pid!;
  const members = await membersOf(leader, 2);
  assert.equal(members.length, 2, 'sh and its sleep');
  await sup.stop(['tree']);
  assert.ok(members.every(isDead), `still alive: ${members.filter((p) => !isDead(p))}`);
  assert.equal(sup.get('tree')!.state, 'stopped');
  assert.equal(sup.get('tree')!.pid, null);
});

test('a service ignoring SIGTERM is SIGKILLed after its stop timeout', async (t) => {
  const { sup, logs } = supervise(t, [service('stubborn', 'trap "" TERM; sleep 1000 & wait', { stopTimeoutMs: 400 })]);
  await sup.start();
  await sup.waitReady(undefined, deadline());
  const members = await membersOf(sup.get('stubborn')!.pid!, 2);
  const began = Date.now();
  await sup.stop();
  const took = Date.now() - began;
  assert.ok(took >= 380, `stop returned after ${took} ms, before the timeout`);
  assert.ok(members.every(isDead));
  assert.ok(logs.some((line) => line.includes('[stubborn] still running 400 ms after SIGTERM: killed')), logs.join('\n'));
});

test('a child ignoring SIGTERM is killed at the timeout even though its leader exited', async (t) => {
  const { sup } = supervise(t, [service('child', '(trap "" TERM; exec sleep 1000) & wait', { stopTimeoutMs: 400 })]);
  await sup.start();
  const members = await membersOf(sup.get('child')!.pid!, 2);
  assert.equal(members.length, 2);
  const began = Date.now();
  await sup.stop(['child']);
  assert.ok(Date.now() - began >= 380);
  assert.ok(members.every(isDead), `survivors: ${members.filter((p) => !isDead(p))}`);
});

test('children left behind by a leader that exited on its own are stopped too', async (t) => {
  const { sup } = supervise(t, [service('leaky', 'sleep 1000 & echo started; sleep 0.3; exit 1')]);
  await sup.start();
  const members = await membersOf(sup.get('leaky')!.pid!, 2);
  await untilState(sup, 'leaky', 'exited');
  assert.equal(sup.get('leaky')!.exitCode, 1);
  assert.ok(await waitDead(members, 5_000), 'the backgrounded sleep outlived its leader');
});

test('close() stops everything, flushes a trailing partial line and removes services.json', async (t) => {
  const { sup, dir } = supervise(t, [service('a', 'sleep 1000 & wait'), service('b', "printf 'no newline at the end'; sleep 1000")]);
  await sup.start();
  await sup.waitReady(undefined, deadline());
  assert.ok(existsSync(join(dir, 'services.json')));
  const members = [...(await membersOf(sup.get('a')!.pid!, 2)), ...(await membersOf(sup.get('b')!.pid!, 1))];
  await sup.close();
  assert.ok(members.every(isDead));
  assert.equal(existsSync(join(dir, 'services.json')), false);
  assert.equal(logOutput(serviceFiles(dir).serviceLog('b')), 'no newline at the end\n');
  await assert.rejects(sup.start(), { code: 'SUPERVISOR_CLOSED' });
});

test('a stopped service is never restarted by its policy', async (t) => {
  const { sup } = supervise(t, [service('loop', 'sleep 0.2; exit 1', { restart: 'always' })], {
    backoff: { initialMs: 100, maxMs: 100, factor: 1 },
  });
  await sup.start();
  await untilState(sup, 'loop', 'backoff');
  await sup.stop(['loop']);
  assert.equal(sup.get('loop')!.state, 'stopped');
  const restarts = sup.get('loop')!.restarts;
  await new Promise((resolve) => setTimeout(resolve, 300)); // longer than the backoff: nothing may happen
  assert.equal(sup.get('loop')!.state, 'stopped');
  assert.equal(sup.get('loop')!.restarts, restarts);
  assert.equal(sup.get('loop')!.pid, null);
});

test('the stop budget sums the slowest stop timeout of each batch of the stop order', (t) => {
  const flat = supervise(t, [service('a', 'sleep 1', { stopTimeoutMs: 2_000 }), service('b', 'sleep 1', { stopTimeoutMs: 7_000 })]);
  assert.equal(flat.sup.stopBudgetMs(), 7_000 + 1_000, 'one batch: its slowest, plus a second for SIGKILL');
  const chain = supervise(t, [
    service('db', 'sleep 1', { stopTimeoutMs: 3_000 }),
    service('api', 'sleep 1', { stopTimeoutMs: 10_000, dependsOn: { db: 'started' } }),
    service('web', 'sleep 1', { stopTimeoutMs: 5_000, dependsOn: { api: 'started' } }),
  ]);
  assert.equal(chain.sup.stopBudgetMs(), 3_000 + 10_000 + 5_000 + 3 * 1_000);
});
