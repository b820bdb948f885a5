import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceEvent } from '../../src/services/types.js';
import { deadline, service, supervise, until, untilState } from './helpers.js';

const quick = { backoff: { initialMs: 40, maxMs: 200, factor: 2 }, failure: { maxFastFailures: 4, fastWindowMs: 5_000 } };

/** Every event, in order. */
function record(sup: ReturnType<typeof supervise>['sup']): ServiceEvent[] {
  const events: ServiceEvent[] = [];
  sup.onEvent((e) => events.push(e));
  return events;
}

test('on-failure restarts with growing backoff, then gives up as failed with the last exit code', async (t) => {
  const { sup } = supervise(t, [service('crash', 'echo "attempt $$"; exit 3', { restart: 'on-failure' })], quick);
  const events = record(sup);
  await sup.start();
  await untilState(sup, 'crash', 'failed');
  const info = sup.get('crash')!;
  assert.equal(info.exitCode, 3);
  assert.equal(info.restarts, 3);
  assert.equal(info.pid, null);
  assert.match(info.reason ?? '', /exited with code 3; gave up after 4 runs in a row shorter than 5000 ms/);
  const delays = events.filter((e) => e.state === 'backoff' && e.kind === 'state').map((e) => e.message);
  assert.deepEqual(delays, ['exited with code 3; restarting in 40 ms', 'exited with code 3; restarting in 80 ms', 'exited with code 3; restarting in 160 ms']);
  // Each restart waited at least its delay after the exit before it.
  const exits = events.filter((e) => e.kind === 'exit').map((e) => Date.parse(e.at));
  const restarts = events.filter((e) => e.kind === 'restart').map((e) => Date.parse(e.at));
  restarts.forEach((at, i) => assert.ok(at - exits[i]! >= [40, 80, 160][i]! - 5, `restart ${i} after ${at - exits[i]!} ms`));
  await assert.rejects(sup.waitReady(undefined, deadline()), (err: Error & { code: string; lastExitCode: number; logTail: string[] }) => {
    assert.equal(err.code, 'SERVICE_FAILED');
    assert.equal(err.lastExitCode, 3);
    assert.equal(err.logTail.length, 4, 'one line per run');
    return true;
  });
});

test('on-failure does not restart a clean exit; no never restarts', async (t) => {
  const { sup } = supervise(t, [service('clean', 'exit 0', { restart: 'on-failure' }), service('once', 'exit 1', { restart: 'no' })], quick);
  await sup.start();
  await untilState(sup, 'clean', 'exited');
  await untilState(sup, 'once', 'exited');
  assert.deepEqual([sup.get('clean')!.restarts, sup.get('clean')!.exitCode, sup.get('clean')!.reason], [0, 0, null]);
  assert.deepEqual([sup.get('once')!.restarts, sup.get('once')!.exitCode, sup.get('once')!.reason], [0, 1, 'exited with code 1']);
});

test('always restarts even a clean exit and, without max_restarts, never ends failed (backoff capped)', async (t) => {
  const { sup } = supervise(t, [service('loop', 'exit 0', { restart: 'always' })], quick);
  const events = record(sup);
  await sup.start();
  // Twice the fast-failure limit that would end on-failure, and past the point where the backoff reaches its cap.
  await until(sup, () => sup.get('loop')!.restarts >= 2 * quick.failure.maxFastFailures + 2, 'many restarts');
  assert.ok(!events.some((e) => e.state === 'failed'), 'never failed');
  const delays = events.filter((e) => e.state === 'backoff' && e.kind === 'state').map((e) => Number(/restarting in (\d+) ms/.exec(e.message ?? '')?.[1]));
  assert.ok(delays.every((d) => d <= quick.backoff.maxMs), delays.join(', '));
  assert.equal(delays.at(-1), quick.backoff.maxMs);
});

test('a run longer than the fast window resets the backoff and the failure count', async (t) => {
  const options = { backoff: { initialMs: 20, maxMs: 1_000, factor: 4 }, failure: { maxFastFailures: 2, fastWindowMs: 150 } };
  const { sup } = supervise(t, [service('slow', 'sleep 0.25; exit 1', { restart: 'on-failure' })], options);
  const events = record(sup);
  await sup.start();
  await until(sup, () => sup.get('slow')!.restarts >= 4, '4 restarts');
  assert.notEqual(sup.get('slow')!.state, 'failed');
  const delays = events.filter((e) => e.state === 'backoff' && e.kind === 'state').map((e) => e.message);
  assert.ok(delays.every((d) => d === 'exited with code 1; restarting in 20 ms'), delays.join(', '));
});

test('a service killed by a signal counts as failed and is restarted', async (t) => {
  const { sup } = supervise(t, [service('victim', 'sleep 1000', { restart: 'on-failure' })], quick);
  const events = record(sup);
  await sup.start();
  const first = sup.get('victim')!.pid!;
  process.kill(first, 'SIGKILL');
  await until(sup, () => sup.get('victim')!.restarts === 1 && sup.get('victim')!.state === 'running', 'restart');
  assert.equal(sup.get('victim')!.exitSignal, 'SIGKILL', 'the last exit stays visible after the restart');
  assert.notEqual(sup.get('victim')!.pid, first);
  assert.ok(events.some((e) => e.kind === 'exit' && e.message === 'killed by SIGKILL (out of memory?)'));
});
