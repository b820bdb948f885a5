import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { collectStdout, exitOf } from '../helpers/child.js';
import { waitFor } from '../helpers/wait.js';

test('run --json prints one JSON object per line: service output, run starts and ends, and the daemon\'s own lines', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  once:\n    command: sh -c 'echo hello; echo oops >&2; exit 2'\n  idle:\n    command: sleep 1000\n`);
  const run = box.spawnCli(['run', '--json']);
  const out = collectStdout(run);
  let stderr = '';
  run.stderr!.on('data', (c) => (stderr += c));
  const objects = () => out.text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  await waitFor(() => objects().some((o) => o.service === 'once' && o.event === 'exit'), 20_000, 'the one-shot to end');
  run.kill('SIGTERM');
  assert.deepEqual(await exitOf(run, 15_000), { code: 0, signal: null });
  const all = objects(); // every stdout line parsed as JSON, or this throws
  const once = all.filter((o) => o.service === 'once');
  assert.equal(once[0]!.event, 'start');
  assert.equal(typeof once[0]!.pid, 'number');
  assert.deepEqual(
    once.slice(1, -1).map((o) => [o.stream, o.line]).sort(),
    [['stderr', 'oops'], ['stdout', 'hello']],
  );
  assert.deepEqual({ ...once.at(-1), time: 0, pid: 0 }, { service: 'once', time: 0, run: 1, event: 'exit', exitCode: 2, signal: null, line: '--- run 1 exited with code 2', pid: 0 });
  for (const o of all) assert.match(o.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const daemon = all.filter((o) => o.daemon === true);
  assert.ok(daemon.some((o) => o.service === 'tend' && /^ready: pid \d+/.test(o.line)), 'the ready line is an object');
  assert.ok(daemon.some((o) => /^stopping: received SIGTERM/.test(o.line)));
  const idle = all.filter((o) => o.service === 'idle');
  assert.deepEqual(idle.map((o) => o.event), ['start', 'exit'], 'the stopped service ends with its signal');
  assert.equal(idle[1]!.signal, 'SIGTERM');
  assert.equal(stderr, '', 'nothing but JSON, and all of it on stdout');
});
