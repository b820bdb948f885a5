import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ServiceInfo } from '../../src/services/types.js';
import { deadline, isDead, logOutput, logProbe, project, service, supervise, until, untilState } from './helpers.js';
import { serviceFiles } from '../../src/kit/state/paths.js';

/** Snapshot of every service each time `name` reaches `state` for the first time. */
function snapshotWhen(sup: ReturnType<typeof supervise>['sup'], name: string, state: string): Promise<Map<string, ServiceInfo>> {
  return new Promise((resolve) => {
    const off = sup.onEvent((e) => {
      if (e.service !== name || e.state !== state) return;
      off();
      resolve(new Map(sup.list().map((s) => [s.name, s])));
    });
  });
}

test('services start in dependency order: "started" does not wait for readiness, "ready" does', async (t) => {
  const { sup } = supervise(t, [
    service('eager', 'sleep 1000', { dependsOn: { db: 'started' } }),
    service('patient', 'sleep 1000', { dependsOn: { db: 'ready' } }),
    service('db', 'sleep 0.3; echo ready to serve; sleep 1000', { ready: logProbe('ready to serve') }),
  ]);
  const eagerStarted = snapshotWhen(sup, 'eager', 'running');
  const patientStarted = snapshotWhen(sup, 'patient', 'running');
  await sup.start();
  assert.equal(sup.get('patient')!.state, 'pending');
  assert.equal(sup.get('db')!.state, 'starting');
  await sup.waitReady(undefined, deadline());
  const atEager = await eagerStarted;
  assert.equal(atEager.get('db')!.state, 'starting', 'eager waited for db to be ready');
  const atPatient = await patientStarted;
  assert.equal(atPatient.get('db')!.ready, true, 'patient started before db was ready');
});

test('"completed" waits for a zero exit, and a non-zero exit leaves the dependent pending', async (t) => {
  const { sup } = supervise(t, [
    service('migrate', 'sleep 0.2; exit 0'),
    service('web', 'sleep 1000', { dependsOn: { migrate: 'completed' } }),
    service('bad-migrate', 'echo schema broken >&2; exit 3'),
    service('api', 'sleep 1000', { dependsOn: { 'bad-migrate': 'completed' } }),
  ]);
  const webStarted = snapshotWhen(sup, 'web', 'running');
  await sup.start();
  const atWeb = await webStarted;
  assert.equal(atWeb.get('migrate')!.state, 'exited');
  assert.equal(atWeb.get('migrate')!.exitCode, 0);
  await untilState(sup, 'bad-migrate', 'exited');
  await until(sup, () => sup.get('api')!.reason === 'waiting for bad-migrate: exited with code 3', 'api reason');
  assert.equal(sup.get('api')!.state, 'pending');
  await sup.waitReady(['web', 'migrate'], deadline());
  const error = await sup.waitReady(['api'], deadline()).then(() => null, (err: unknown) => err as Error & { code: string; service: string; lastExitCode: number });
  assert.ok(error !== null);
  assert.equal(error.code, 'SERVICE_FAILED');
  assert.equal(error.service, 'bad-migrate');
  assert.equal(error.lastExitCode, 3);
  assert.match(error.message, /exited with code 3 \(api depends on it\)/);
  assert.match(error.message, /schema broken/);
});

test('a dependency that fails to spawn leaves its dependents pending with the reason', async (t) => {
  const { sup } = supervise(t, [
    service('db', ['/nonexistent/db-server']),
    service('web', 'sleep 1000', { dependsOn: { db: 'started' } }),
    service('worker', 'sleep 1000', { dependsOn: { web: 'started' } }),
  ]);
  await sup.start();
  await untilState(sup, 'db', 'failed');
  assert.match(sup.get('db')!.reason ?? '', /cannot run "\/nonexistent\/db-server": command not found/);
  await until(sup, () => sup.get('web')!.reason === 'waiting for db: failed', 'web reason');
  assert.equal(sup.get('worker')!.state, 'pending');
  await assert.rejects(sup.waitReady(['worker'], deadline()), (err: Error & { service: string }) => err.service === 'db' && /worker depends on it/.test(err.message));
});

test('a missing working directory fails the service with a clear reason', async (t) => {
  const { sup } = supervise(t, [service('web', 'true', { cwd: '/nonexistent/dir' })]);
  await sup.start();
  assert.equal(sup.get('web')!.state, 'failed');
  assert.equal(sup.get('web')!.reason, 'working directory /nonexistent/dir does not exist');
  await assert.rejects(sup.waitReady(undefined, deadline()), { code: 'SERVICE_FAILED' });
});

test('list() reports each state; get() and logTail() work by name; unknown names are refused', async (t) => {
  const { sup } = supervise(t, [
    service('a', 'echo hello from a; sleep 1000', { ready: logProbe('hello') }),
    service('b', 'sleep 1000', { dependsOn: { a: 'completed' } }),
  ]);
  assert.deepEqual(sup.list().map((s) => [s.name, s.state, s.reason]), [['a', 'stopped', 'not started'], ['b', 'stopped', 'not started']]);
  await assert.rejects(sup.waitReady(['a'], deadline()), /not started/);
  await sup.start();
  const [a, b] = sup.list();
  assert.equal(a!.state, 'starting');
  assert.ok(a!.pid !== null && a!.startedAt !== null);
  assert.equal(b!.state, 'pending');
  await sup.waitReady(['a'], deadline());
  assert.equal(sup.get('a')!.state, 'running');
  assert.equal(sup.get('b')!.reason, 'waiting for a to complete');
  assert.deepEqual(sup.logTail('a', 5), ['hello from a']);
  assert.equal(sup.get('nope'), undefined);
  await assert.rejects(sup.start(['nope']), { code: 'SERVICE_UNKNOWN' });
  await assert.rejects(sup.stop(['nope']), { code: 'SERVICE_UNKNOWN' });
  await assert.rejects(sup.restart(['nope']), { code: 'SERVICE_UNKNOWN' });
  await assert.rejects(sup.waitReady(['nope'], deadline()), { code: 'SERVICE_UNKNOWN' });
  assert.throws(() => sup.logTail('nope', 1), { code: 'SERVICE_UNKNOWN' });
});

test('start(names) also starts what they depend on; stop(names) leaves the rest running', async (t) => {
  const { sup } = supervise(t, [service('db', 'sleep 1000'), service('web', 'sleep 1000', { dependsOn: { db: 'ready' } }), service('other', 'sleep 1000')]);
  await sup.start(['web']);
  await sup.waitReady(['web'], deadline());
  assert.equal(sup.get('db')!.state, 'running');
  assert.equal(sup.get('other')!.state, 'stopped');
  const web = sup.get('web')!.pid!;
  await sup.stop(['db']);
  assert.equal(sup.get('db')!.state, 'stopped');
  assert.equal(sup.get('web')!.pid, web);
});

test('waitReady resolves for ready and completed services; restart() gives a new pid', async (t) => {
  const { sup } = supervise(t, [service('job', 'exit 0'), service('web', 'sleep 1000')]);
  await sup.start();
  await sup.waitReady(undefined, deadline());
  const before = sup.get('web')!.pid!;
  await sup.restart(['web']);
  const after = sup.get('web')!;
  assert.notEqual(after.pid, before);
  assert.equal(after.restarts, 1);
  assert.ok(isDead(before));
});

test('services get the base env plus their own, and run in their cwd', async (t) => {
  const { sup, dir } = supervise(t, [service('env', 'echo "$BASE $OWN $(pwd)"', { env: { OWN: 'own' }, cwd: '/usr' })], {
    env: { PATH: process.env.PATH, BASE: 'base' },
  });
  await sup.start();
  await untilState(sup, 'env', 'exited');
  await sup.close();
  assert.equal(logOutput(serviceFiles(dir).serviceLog('env')), 'base own /usr\n');
});

test('reload stops removed, restarts changed, starts added and leaves unchanged alone', async (t) => {
  const keep = service('keep', 'sleep 1000');
  const { sup } = supervise(t, [keep, service('change', 'sleep 1000'), service('drop', 'sleep 1000 & wait')]);
  await sup.start();
  await sup.waitReady(undefined, deadline());
  const pids = new Map(sup.list().map((s) => [s.name, s.pid!]));
  const next = project([keep, service('change', 'sleep 2000'), service('add', 'sleep 1000', { dependsOn: { keep: 'ready' } })]);
  await sup.reload(next, { added: ['add'], removed: ['drop'], changed: ['change'], unchanged: ['keep'] });
  await sup.waitReady(undefined, deadline());
  assert.deepEqual(sup.list().map((s) => s.name), ['keep', 'change', 'add']);
  assert.equal(sup.get('keep')!.pid, pids.get('keep'));
  assert.notEqual(sup.get('change')!.pid, pids.get('change'));
  assert.equal(sup.get('drop'), undefined);
  assert.ok(isDead(pids.get('drop')!));
  assert.ok(isDead(pids.get('change')!));
  assert.equal(sup.get('add')!.state, 'running');
});
