import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { assertNothingLeft, startDaemon } from '../../helpers/kit.js';
import { exitOf } from '../../helpers/child.js';
import { occupiedPort } from '../../helpers/ports.js';
import { waitFor } from '../../helpers/wait.js';

/** The foreground run exits 0 and leaves nothing behind. */
async function expectCleanExit(box: Sandbox, run: ChildProcess): Promise<void> {
  assert.deepEqual(await exitOf(run, 10_000), { code: 0, signal: null });
  await assertNothingLeft(box, [run.pid!]);
}

test('status sees a foreground run (foreground true) and stop ends it with exit 0', async (t) => {
  const box = makeSandbox(t);
  const run = box.spawnCli(['run']);
  let stderr = '';
  run.stderr!.on('data', (c) => (stderr += c));
  let status: Record<string, any> = {};
  await waitFor(async () => {
    const r = await box.cli(['status', '--json']);
    status = JSON.parse(r.stdout);
    return r.code === 0;
  }, 20_000, '`run` to be seen running');
  assert.equal(status.state, 'running');
  assert.equal(status.pid, run.pid);
  assert.equal(status.foreground, true);
  assert.equal(box.metadata()!.foreground, true);
  // Foreground logs go to the terminal.
  assert.match(stderr, /ready: pid \d+/);

  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 0, stop.stdout + stop.stderr);
  await expectCleanExit(box, run);
});

test('run while a daemon is running exits 1 saying already running, and leaves that daemon alone', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  const r = await box.cli(['run']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`already running \\(pid ${daemon.pid}\\)`));
  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 0);
  assert.equal(JSON.parse(status.stdout).instanceId, daemon.instanceId);
});

test('Ctrl-C stops a foreground run cleanly with exit 0', async (t) => {
  const box = makeSandbox(t);
  const run = box.spawnCli(['run']);
  await waitFor(() => box.metadata()?.pid === run.pid, 20_000, '`run` to write its metadata');
  run.kill('SIGINT');
  await expectCleanExit(box, run);
});

test('run reports a bind error with exit 1 and leaves nothing behind', async (t) => {
  const box = makeSandbox(t);
  const port = await occupiedPort(t);
  const r = await box.cli(['run', '--port', String(port)]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`EADDRINUSE.*${port}`));
  await assertNothingLeft(box);
});
