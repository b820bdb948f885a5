import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { assertNothingLeft, daemonPids, startDaemon } from '../../helpers/kit.js';
import { waitGone } from '../../helpers/proc.js';

test('after kill -9 of the daemon, status says stale at once and start recovers quickly', async (t) => {
  const box = makeSandbox(t);
  const first = await startDaemon(box);
  process.kill(first.pid, 'SIGKILL');
  assert.ok(await waitGone(first.pid));

  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 1, status.stdout + status.stderr);
  const s = JSON.parse(status.stdout);
  assert.equal(s.state, 'stale');
  assert.equal(s.pid, first.pid);

  // Well under the lock's 10 s stale time: the dead owner's lock is broken at once.
  const began = Date.now();
  const next = await startDaemon(box);
  const took = Date.now() - began;
  assert.ok(took < 5_000, `start after kill -9 took ${took} ms`);
  assert.notEqual(next.pid, first.pid);
  assert.equal(next.alreadyRunning, false);
  assert.equal(box.metadata()!.pid, next.pid);
  assert.deepEqual(daemonPids(box), [next.pid]);

  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 0, stop.stderr);
  await assertNothingLeft(box, [next.pid]);
});

test('human status of a killed daemon says stale and what to do', async (t) => {
  const box = makeSandbox(t);
  const first = await startDaemon(box);
  process.kill(first.pid, 'SIGKILL');
  assert.ok(await waitGone(first.pid));
  const r = await box.cli(['status']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`stale: pid ${first.pid} is gone`));
  assert.match(r.stdout, /tend start/);
});

function writeDaemonJson(box: Sandbox, text: string): void {
  mkdirSync(box.paths().dir, { recursive: true, mode: 0o700 });
  writeFileSync(box.paths().metadataFile, text, { mode: 0o600 });
}

const validShape = JSON.stringify({
  schema: 1,
  pid: 123456,
  processStartTime: '1',
  instanceId: 'x',
  startedAt: new Date().toISOString(),
  version: '0.0.0',
  endpoint: 'http://127.0.0.1:1/graphql',
  host: '127.0.0.1',
  port: 1,
  token: 'secret',
  projectDir: '/nowhere',
  logFile: '/nowhere/daemon.log',
  foreground: false,
});

const CORRUPT: [string, string, RegExp][] = [
  ['an empty', '', /empty/],
  ['a truncated', validShape.slice(0, validShape.length / 2), /not JSON/],
  ['a garbage', '\u0000\u00ff garbage \u0001', /not JSON/],
];

for (const [what, text, reason] of CORRUPT) {
  test(`status explains ${what} daemon.json (exit 4, unknown) and start replaces it`, async (t) => {
    const box = makeSandbox(t);
    writeDaemonJson(box, text);

    const human = await box.cli(['status']);
    assert.equal(human.code, 4, human.stdout + human.stderr);
    assert.match(human.stdout, /unknown/);
    assert.match(human.stdout, /daemon\.json is unreadable/);
    assert.match(human.stdout, reason);

    const json = await box.cli(['status', '--json']);
    assert.equal(json.code, 4);
    const s = JSON.parse(json.stdout);
    assert.equal(s.state, 'unknown');
    assert.match(s.reason, reason);

    const started = await startDaemon(box);
    assert.equal(box.metadata()!.pid, started.pid);
    const after = await box.cli(['status', '--json']);
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });
}

test('stop cleans up a garbage daemon.json and exits 0', async (t) => {
  const box = makeSandbox(t);
  writeDaemonJson(box, 'garbage');
  const r = await box.cli(['stop']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /removed stale state/);
  await assertNothingLeft(box);
});
