import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { assertNothingLeft, startDaemon, startTimeOf } from '../../helpers/kit.js';
import { isGone, waitGone } from '../../helpers/proc.js';
import { freePort } from '../../helpers/ports.js';

test('stop ends the daemon with SIGTERM, waits until it is gone and leaves nothing', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box);
  const r = await box.cli(['stop']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`stopped \\(pid ${pid}`));
  // stop returns only once the daemon is gone.
  assert.ok(isGone(pid), `pid ${pid} is alive after stop returned`);
  await assertNothingLeft(box, [pid]);
  const status = await box.cli(['status']);
  assert.equal(status.code, 3);
});

test('stop with nothing running exits 0 and says not running', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['stop']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /not running/);
});

test('stop after kill -9 of the daemon removes its stale state and exits 0', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box);
  process.kill(pid, 'SIGKILL');
  assert.ok(await waitGone(pid));
  const r = await box.cli(['stop']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /removed stale state/);
  await assertNothingLeft(box);
});

test('stop --timeout 1 exits 1 and leaves alive a daemon that ignores SIGTERM', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box, [], { TEND_TEST_FAULT: 'ignore-sigterm' });
  const r = await box.cli(['stop', '--timeout', '1']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`pid ${pid} is still alive after 1s`));
  assert.match(r.stderr, /--force/);
  assert.equal(isGone(pid), false);
  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 0);
  assert.equal(JSON.parse(status.stdout).pid, pid);
});

test('stop --timeout 1 --force SIGKILLs a daemon that ignores SIGTERM and cleans its state', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box, [], { TEND_TEST_FAULT: 'ignore-sigterm' });
  const r = await box.cli(['stop', '--timeout', '1', '--force']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /SIGKILL/);
  assert.ok(isGone(pid), `pid ${pid} is alive after stop --force returned`);
  await assertNothingLeft(box, [pid]);
});

/** A `sleep` this test started: an unrelated live process, killed in teardown. */
function unrelatedProcess(t: TestContext, box: Sandbox): number {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  assert.ok(child.pid);
  box.track(child.pid);
  t.after(() => void child.kill('SIGKILL'));
  return child.pid;
}

async function writeMetadataNaming(box: Sandbox, pid: number, processStartTime: string): Promise<void> {
  const port = await freePort();
  mkdirSync(box.paths().dir, { recursive: true, mode: 0o700 });
  const metadata = {
    schema: 1,
    pid,
    processStartTime,
    instanceId: 'not-a-daemon',
    startedAt: new Date().toISOString(),
    version: '0.1.0',
    endpoint: `http://127.0.0.1:${port}/graphql`,
    host: '127.0.0.1',
    port,
    token: 'token',
    projectDir: box.projectDir,
    logFile: box.paths().logFile,
    foreground: false,
  };
  writeFileSync(box.paths().metadataFile, JSON.stringify(metadata), { mode: 0o600 });
}

test('stop never signals an unrelated process named by daemon.json with another start time, and cleans the state', async (t) => {
  const box = makeSandbox(t);
  const pid = unrelatedProcess(t, box);
  await writeMetadataNaming(box, pid, String(Number(startTimeOf(pid)) + 12345));
  const r = await box.cli(['stop', '--timeout', '1']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /removed stale state/);
  assert.equal(isGone(pid), false, 'the unrelated process was killed');
  assert.equal(existsSync(box.paths().metadataFile), false);
});

test('stop never signals an unrelated process named by daemon.json with its own start time but no lock', async (t) => {
  const box = makeSandbox(t);
  const pid = unrelatedProcess(t, box);
  await writeMetadataNaming(box, pid, startTimeOf(pid));
  const r = await box.cli(['stop', '--timeout', '1']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /removed stale state/);
  assert.equal(isGone(pid), false, 'the unrelated process was signalled');
  await assertNothingLeft(box);
  assert.equal(isGone(pid), false);
});

test('status calls daemon.json naming a live process without the lock stale, not running', async (t) => {
  const box = makeSandbox(t);
  const pid = unrelatedProcess(t, box);
  await writeMetadataNaming(box, pid, startTimeOf(pid));
  const r = await box.cli(['status', '--json']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.state, 'stale');
  assert.match(s.reason, /lock/);
  assert.equal(existsSync(box.paths().metadataFile), true, 'status must not delete anything');
});

test('a daemon that dies while draining is still reported stopped, and its state is cleaned', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box, [], { TEND_TEST_FAULT: 'mid-drain' });
  const r = await box.cli(['stop']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`stopped \\(pid ${pid}`));
  await assertNothingLeft(box, [pid]);
  await startDaemon(box);
});

test('stop --json prints one JSON object naming the stopped pid', async (t) => {
  const box = makeSandbox(t);
  const { pid } = await startDaemon(box);
  const r = await box.cli(['stop', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.state, 'stopped');
  assert.equal(out.pid, pid);
  assert.equal(out.result, 'stopped');
});
