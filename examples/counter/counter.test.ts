import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeSandbox } from '../../test/helpers/sandbox.js';
import { isGone } from '../../test/helpers/proc.js';
import { until } from '../../test/helpers/wait.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
// tsx by absolute URL: the daemon re-runs node's flags with the project dir as
// cwd, where a bare `--import tsx` does not resolve (see the README).
const TSX = import.meta.resolve('tsx');

/** A counter sandbox; `counter(ARGS)` runs `counter ARGS --dir <project>` from the repo root, as a user would. */
function sandbox(t: TestContext) {
  const box = makeSandbox(t, {}, { tool: 'counter', cli: join(HERE, 'cli.ts') });
  const counter = (...args: string[]) => box.cli([...args, '--dir', box.projectDir], { cwd: REPO, nodeArgs: ['--import', TSX] });
  return { counter, stateDir: box.stateDir, logFile: box.paths().logFile };
}

test('counter starts, counts hits, shows them in status, and stops', async (t) => {
  const { counter } = sandbox(t);

  const start = await counter('start', '--port', '0', '--json');
  assert.equal(start.code, 0, start.stderr);
  const started = JSON.parse(start.stdout);
  assert.equal(started.state, 'running');
  assert.equal(started.hits, 0);
  const pid: number = started.pid;

  const one = await counter('hit');
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout, 'counter: 1 hits\n');
  const five = await counter('hit', '--by', '4', '--json');
  assert.deepEqual(JSON.parse(five.stdout), { hits: 5 });

  const status = await counter('status');
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`running \\(pid ${pid},`));
  assert.match(status.stdout, /^ {2}hits {6}5$/m);
  assert.equal(JSON.parse((await counter('status', '--json')).stdout).hits, 5);

  const stop = await counter('stop');
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, new RegExp(`stopped \\(pid ${pid},`));
  assert.ok(isGone(pid), `daemon pid ${pid} is still alive after stop`);
  assert.equal((await counter('status')).code, 3);
});

test('hit refuses when no daemon runs, naming the command that starts one', async (t) => {
  const { counter } = sandbox(t);
  const hit = await counter('hit');
  assert.equal(hit.code, 3);
  assert.match(hit.stderr, /not running; start it with 'counter start'/);
});

test('SIGHUP resets the count and the log says so', async (t) => {
  const { counter, logFile } = sandbox(t);
  const start = await counter('start', '--json');
  assert.equal(start.code, 0, start.stderr);
  const pid: number = JSON.parse(start.stdout).pid;
  await counter('hit', '--by', '3');

  process.kill(pid, 'SIGHUP');
  // The reload runs in the daemon after the signal: wait for its line in the log file
  // (a `counter logs` per check would cost a tsx start each), then read it as a user does.
  await until('the reload to be logged', () => readFileSync(logFile, 'utf8').includes('reloaded:'), 60_000);
  const logs = await counter('logs', '-n', '20');
  assert.match(logs.stdout, /reloaded: hits reset to 0 \(was 3\)/);
  assert.equal(JSON.parse((await counter('status', '--json')).stdout).hits, 0);
});
