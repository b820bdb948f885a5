import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox } from '../../helpers/sandbox.js';
import { assertNothingLeft, daemonPids, startDaemon } from '../../helpers/kit.js';
import { isGone } from '../../helpers/proc.js';
import { waitFor } from '../../helpers/wait.js';

test('SIGHUP makes the daemon reload, not stop', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  process.kill(daemon.pid, 'SIGHUP');
  await waitFor(() => /reload/.test(readFileSync(box.paths().logFile, 'utf8')), 10_000, 'the daemon to log the reload');
  assert.equal(isGone(daemon.pid), false);
  const r = await box.cli(['status', '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).instanceId, daemon.instanceId);
});

test('SIGUSR1 writes a status snapshot line to the log', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  process.kill(daemon.pid, 'SIGUSR1');
  const snapshotLine = () => readFileSync(box.paths().logFile, 'utf8').split('\n').find((l) => / snapshot \{/.test(l));
  await waitFor(() => snapshotLine() !== undefined, 10_000, 'the snapshot line');
  const snapshot = JSON.parse(snapshotLine()!.replace(/^.*? snapshot /, ''));
  assert.equal(snapshot.status.pid, daemon.pid);
  assert.equal(snapshot.status.instanceId, daemon.instanceId);
  assert.equal(typeof snapshot.status.memory.rss, 'number');
  assert.equal(isGone(daemon.pid), false);
});

test('SIGINT and SIGQUIT stop the daemon cleanly, like SIGTERM', async (t) => {
  const box = makeSandbox(t);
  for (const signal of ['SIGINT', 'SIGQUIT'] as const) {
    const daemon = await startDaemon(box);
    process.kill(daemon.pid, signal);
    await assertNothingLeft(box, [daemon.pid]);
    const log = readFileSync(box.paths().logFile, 'utf8');
    assert.match(log, new RegExp(`stopping: received ${signal}`));
    assert.match(log.slice(log.lastIndexOf('stopping:')), /stopped \(exit 0\)/);
  }
});

test('a frozen daemon (SIGSTOP) is reported unknown, and start does not start a second one', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  process.kill(daemon.pid, 'SIGSTOP'); // the sandbox's teardown SIGKILL ends it even if stopped
  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 4, status.stdout + status.stderr);
  assert.equal(JSON.parse(status.stdout).state, 'unknown');

  const start = await box.cli(['start', '--wait-timeout', '1']);
  assert.equal(start.code, 1, start.stdout + start.stderr);
  assert.deepEqual(daemonPids(box), [daemon.pid], 'a second daemon was started');

  const stop = await box.cli(['stop', '--timeout', '1', '--force']);
  assert.equal(stop.code, 0, stop.stdout + stop.stderr);
  await assertNothingLeft(box, [daemon.pid]);
});
