import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isGone, makeSandbox } from '../helpers/sandbox.js';
import { startDaemon, waitFor } from '../helpers/kit.js';

test('SIGHUP does not stop the daemon', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  process.kill(daemon.pid, 'SIGHUP');
  await waitFor(() => readFileSync(box.paths().logFile, 'utf8').includes('SIGHUP'), 10_000, 'the daemon to log the SIGHUP');
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
