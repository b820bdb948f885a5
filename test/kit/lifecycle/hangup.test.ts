import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { assertNothingLeft } from '../../helpers/kit.js';
import { cliPath } from '../../helpers/cli.js';
import { isGone } from '../../helpers/proc.js';
import { exitOf } from '../../helpers/child.js';
import { waitFor } from '../../helpers/wait.js';
import { PTY_HANGUP, runPtyScript } from '../../helpers/pty.js';

// A service that prints without pause: every write to a closed terminal fails.
const CHATTY = `services:\n  tick:\n    command: ["${process.execPath}", "-e", "setInterval(() => console.log('tick', Date.now()), 5)"]\n`;

/** What test/fixtures/pty/hangup.py reports. */
interface PtyOutcome {
  pid: number;
  ready: boolean;
  exited: boolean;
  code: number | null;
  signal: string | null;
  output: string;
}

/** Runs `tend ARGS` in a real pty, closes the terminal once `ready` matches, and reports how it ended. */
function runInPtyAndHangUp(box: Sandbox, args: string[], ready: string, timeoutS = 20): Promise<PtyOutcome> {
  return runPtyScript<PtyOutcome>(box, PTY_HANGUP, [ready, String(timeoutS)], [process.execPath, cliPath(), ...args], (r) => !r.exited);
}

function servicePids(output: string): number[] {
  return [...output.matchAll(/\[tick\] started, pid (\d+)/g)].map((m) => Number(m[1]));
}

test('closing the terminal of `run` stops it: services stopped, state removed, no log flood', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CHATTY });
  const outcome = await runInPtyAndHangUp(box, ['run'], 'tick \\d+');
  assert.ok(outcome.ready, `run never printed a tick:\n${outcome.output}`);
  assert.ok(outcome.exited, `run was still alive after its terminal closed:\n${outcome.output.slice(-2000)}`);
  // Clean, then dead of the hangup itself, as a shell expects of a job whose terminal closed.
  assert.deepEqual({ code: outcome.code, signal: outcome.signal }, { code: null, signal: 'SIGHUP' });
  const services = servicePids(outcome.output);
  assert.equal(services.length, 1, outcome.output);
  for (const pid of services) assert.ok(isGone(pid), `service pid ${pid} outlived the run`);
  await assertNothingLeft(box, [outcome.pid]);
  const log = box.paths().logFile;
  assert.ok(statSync(log).size < 64 * 1024, `daemon.log grew to ${statSync(log).size} bytes`);
});

test('a detached daemon is not stopped by the terminal that started it closing', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CHATTY });
  // `start` itself may die of the hangup; the daemon it started must not.
  const outcome = await runInPtyAndHangUp(box, ['start'], 'started');
  assert.ok(outcome.ready, `start: ${JSON.stringify(outcome)}`);
  const meta = box.metadata();
  assert.ok(meta, 'no daemon.json after start');
  box.track(meta.pid);
  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.equal(JSON.parse(status.stdout).pid, meta.pid);
  assert.equal((await box.cli(['stop'])).code, 0);
  await assertNothingLeft(box, [meta.pid]);
});

test('`run | head -1`: the reader leaving stops run cleanly, services and state gone', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CHATTY });
  const run = box.spawnCli(['run']);
  let stderr = '';
  run.stderr!.on('data', (c) => (stderr += c));
  await new Promise<void>((resolve) => run.stdout!.once('data', () => resolve()));
  await waitFor(() => box.metadata()?.pid === run.pid, 20_000, '`run` to write its metadata');
  const services = servicePids(stderr);
  // What `head -1` does after its line: close the read end of the pipe.
  run.stdout!.destroy();
  assert.deepEqual(await exitOf(run, 20_000), { code: 0, signal: null }, stderr.slice(-2000));
  for (const pid of services) assert.ok(isGone(pid), `service pid ${pid} outlived the run`);
  assert.match(stderr, /stopping: the terminal is gone \(EPIPE on stdout\)/);
  await assertNothingLeft(box, [run.pid!]);
});
