import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until, waitFor } from '../helpers/wait.js';
import { cliPath } from '../helpers/cli.js';
import { collectStdout, exitOf } from '../helpers/child.js';
import { runOnPty } from '../helpers/pty.js';

// Hours ago, on a whole minute: durations (--since 1m) count back from now.
const T0 = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Writes a service log in the stored format: [ms after T0, run, tag, text]. */
function serviceLog(box: Sandbox, file: string, lines: [number, number, string, string][]): string {
  const dir = join(box.paths().dir, 'services');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, lines.map(([ms, run, tag, text]) => `${iso(T0 + ms)} ${run} ${tag} ${text}\n`).join(''));
  return path;
}

function daemonLog(box: Sandbox, lines: [number, string][]): void {
  mkdirSync(box.paths().dir, { recursive: true });
  writeFileSync(box.paths().logFile, lines.map(([ms, text]) => `${iso(T0 + ms)} ${text}\n`).join(''));
}

function jsonLines(stdout: string): Record<string, any>[] {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

test('a service log stores each line with its time, run and stream, and marks each run with its pid and its end', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  web:\n    command: sh -c 'echo out; echo err >&2; exit 3'\n    restart: on-failure\n`);
  assert.equal((await box.cli(['start'])).code, 0);
  const file = join(box.paths().dir, 'services', 'web.log');
  await until('two finished runs', () => (readFileSync(file, 'utf8').match(/ X code=3/g) ?? []).length >= 2);
  assert.equal((await box.cli(['stop'])).code, 0);
  const stored = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  for (const line of stored) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \d+ [OESX] /, line);
  const run1 = stored.filter((l) => / 1 [OESX] /.test(l)).map((l) => l.slice(25));
  assert.match(run1[0]!, /^1 S pid=\d+$/);
  assert.deepEqual(run1.slice(1, -1).sort(), ['1 E err', '1 O out']);
  assert.equal(run1.at(-1), '1 X code=3');
  assert.ok(stored.some((l) => l.slice(25).startsWith('2 S pid=')), 'the restart is run 2');

  const r = await box.cli(['logs', 'web', '--json', '-n', '4']);
  assert.equal(r.code, 0, r.stderr);
  const objects = jsonLines(r.stdout);
  assert.equal(objects.length, 4);
  const exit = objects.at(-1)!;
  assert.equal(exit.event, 'exit');
  assert.equal(exit.exitCode, 3);
  assert.equal(exit.service, 'web');
  assert.match(exit.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof exit.run, 'number');
  const outLine = objects.find((o) => o.stream === 'stdout')!;
  assert.deepEqual(Object.keys(outLine).sort(), ['line', 'run', 'service', 'stream', 'time']);
  assert.equal(outLine.line, 'out');
});

test('logs with no names shows every service and the daemon in capture order; --daemon only the daemon', async (t) => {
  const box = makeSandbox(t);
  serviceLog(box, 'web.log', [[10, 1, 'O', 'web one'], [30, 1, 'O', 'web two'], [50, 1, 'E', 'web three']]);
  serviceLog(box, 'db.log', [[20, 1, 'O', 'db one'], [40, 1, 'O', 'db two']]);
  daemonLog(box, [[5, 'ready: pid 1'], [35, 'something happened']]);
  const r = await box.cli(['logs']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    ['tend | ready: pid 1', 'web  | web one', 'db   | db one', 'web  | web two', 'tend | something happened', 'db   | db two', 'web  | web three', ''].join('\n'),
  );
  const d = await box.cli(['logs', '--daemon']);
  assert.equal(d.stdout, 'tend | ready: pid 1\ntend | something happened\n');
  const j = jsonLines((await box.cli(['logs', '--daemon', '--json', '-n', '1'])).stdout);
  assert.deepEqual(j, [{ service: 'tend', daemon: true, time: iso(T0 + 35), line: 'something happened' }]);
  const ts = await box.cli(['logs', 'db', '-t']);
  assert.equal(ts.stdout, `db | ${iso(T0 + 20)} db one\ndb | ${iso(T0 + 40)} db two\n`);
});

test('--since, --until, --grep and -n combine, and read across rotated files', async (t) => {
  const box = makeSandbox(t);
  // Oldest in web.log.2, newest in web.log: one minute per line, 30 lines.
  const minute = 60_000;
  const all = Array.from({ length: 30 }, (_, i) => [i * minute, 1, 'O', `line ${i}${i % 3 === 0 ? ' ERROR' : ''}`] as [number, number, string, string]);
  serviceLog(box, 'web.log.2', all.slice(0, 10));
  serviceLog(box, 'web.log.1', all.slice(10, 20));
  serviceLog(box, 'web.log', all.slice(20));
  const text = async (args: string[]) => {
    const r = await box.cli(['logs', 'web', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean).map((l) => l.replace('web | ', ''));
  };
  assert.deepEqual(await text(['-n', '12']), all.slice(18).map((l) => l[3]), '-n reaches into web.log.1');
  assert.deepEqual(await text(['-n', '100']), all.map((l) => l[3]), 'and web.log.2');
  assert.deepEqual(await text(['--since', iso(T0 + 5 * minute)]), all.slice(5).map((l) => l[3]), '--since TIME: every line from then');
  assert.deepEqual(await text(['--since', iso(T0 + 5 * minute), '--until', iso(T0 + 12 * minute)]), all.slice(5, 13).map((l) => l[3]));
  assert.deepEqual(await text(['--since', iso(T0 + 5 * minute), '--grep', 'ERR', '-n', '2']), ['line 24 ERROR', 'line 27 ERROR']);
  assert.deepEqual(await text(['--grep', 'line 1\\d ERROR']), ['line 12 ERROR', 'line 15 ERROR', 'line 18 ERROR']);
  assert.deepEqual(await text(['--since', '1m']), [], 'a duration is back from now: all lines are older');
  assert.deepEqual(await text(['--since', `${Math.ceil((Date.now() - T0) / 1000)}s`, '-n', '1']), ['line 29'], 'a duration covering them all');
  const bad = await box.cli(['logs', '--since', 'yesterday']);
  assert.equal(bad.code, 2, 'bad input');
  assert.match(bad.stderr, /--since yesterday: expected a duration/);
});

test('--previous shows a service\'s last finished run, with -n and --grep', async (t) => {
  const box = makeSandbox(t);
  serviceLog(box, 'web.log', [
    [0, 1, 'S', 'pid=100'], [1, 1, 'O', 'first run'], [2, 1, 'X', 'code=1'],
    [10, 2, 'S', 'pid=200'], [11, 2, 'O', 'booting'], [12, 2, 'E', 'panic: no config'], [13, 2, 'X', 'signal=SIGKILL'],
    [20, 3, 'S', 'pid=300'], [21, 3, 'O', 'running now'],
  ]);
  const r = await box.cli(['logs', 'web', '--previous']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'web | --- run 2 started (pid 200)\nweb | booting\nweb | panic: no config\nweb | --- run 2 killed by SIGKILL\n');
  assert.equal((await box.cli(['logs', 'web', '--previous', '-n', '1', '--grep', 'panic'])).stdout, 'web | panic: no config\n');
  const j = jsonLines((await box.cli(['logs', 'web', '--previous', '--json', '-n', '1'])).stdout);
  assert.deepEqual(j, [{ service: 'web', time: iso(T0 + 13), run: 2, event: 'exit', exitCode: null, signal: 'SIGKILL', line: '--- run 2 killed by SIGKILL' }]);
  serviceLog(box, 'fresh.log', [[0, 1, 'S', 'pid=400'], [1, 1, 'O', 'still in its first run']]);
  const fresh = await box.cli(['logs', 'fresh', '--previous']);
  assert.equal(fresh.code, 0);
  assert.equal(fresh.stdout, '');
  assert.match(fresh.stderr, /fresh has no finished run yet/);
});

test('a service that printed nothing prints nothing, says so on stderr, and hides no other service', async (t) => {
  const box = makeSandbox(t);
  serviceLog(box, 'web.log', [[1, 1, 'O', 'hello']]);
  const alone = await box.cli(['logs', 'quiet']);
  assert.equal(alone.code, 0);
  assert.equal(alone.stdout, '');
  assert.match(alone.stderr, /quiet has printed nothing/);
  const both = await box.cli(['logs', 'quiet', 'web']);
  assert.equal(both.code, 0, both.stderr);
  assert.equal(both.stdout, 'web   | hello\n');
});

test('logs -f follows across a rotation, losing nothing and printing nothing twice', async (t) => {
  const box = makeSandbox(t);
  const file = serviceLog(box, 'web.log', [[0, 1, 'O', 'old 0']]);
  const follow = box.spawnCli(['logs', 'web', '-f', '-n', '5']);
  const out = collectStdout(follow);
  await waitFor(() => out.text().includes('old 0'), 15_000, 'the history');
  const line = (i: number) => `${iso(T0 + 100 + i)} 1 O line ${i}\n`;
  for (let i = 0; i < 50; i++) appendFileSync(file, line(i));
  renameSync(file, `${file}.1`); // rotation: the rest goes to a new file
  for (let i = 50; i < 100; i++) appendFileSync(file, line(i));
  await waitFor(() => out.text().includes('line 99\n'), 15_000, 'the lines after the rotation');
  follow.kill('SIGINT');
  assert.deepEqual(await exitOf(follow, 10_000), { code: 0, signal: null });
  assert.deepEqual(out.text().split('\n').filter(Boolean), ['web | old 0', ...Array.from({ length: 100 }, (_, i) => `web | line ${i}`)]);
});

test('logs -f keeps following across a service restart and a daemon restart, losing nothing and printing nothing twice', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  tick:\n    command: sh -c 'i=0; while true; do i=$((i+1)); echo "$$ $i"; sleep 0.02; done'\n`);
  assert.equal((await box.cli(['start'])).code, 0);
  const follow = box.spawnCli(['logs', 'tick', '-f', '-n', '100000', '--json']);
  const out = collectStdout(follow);
  const runsSeen = () => new Set(jsonLines(out.text()).filter((o) => o.event === 'start').map((o) => o.run)).size;
  await waitFor(() => out.text().includes('"stdout"'), 15_000, 'the first lines');
  assert.equal((await box.cli(['restart', 'tick'])).code, 0);
  await waitFor(() => runsSeen() >= 2, 15_000, 'the service restart');
  assert.equal((await box.cli(['restart'])).code, 0);
  await waitFor(() => runsSeen() >= 3, 15_000, 'the daemon restart');
  assert.equal((await box.cli(['stop'])).code, 0);
  const all = await box.cli(['logs', 'tick', '-n', '100000', '--json']);
  await waitFor(() => out.text() === all.stdout, 15_000, 'the follower to catch up');
  follow.kill('SIGINT');
  await exitOf(follow, 10_000);
  const objects = jsonLines(all.stdout);
  assert.deepEqual([...new Set(objects.map((o) => o.run))], [1, 2, 3]);
  assert.equal(objects.filter((o) => o.event === 'exit').length, 3, 'each run ended with a marker');
});

test('logs -f with no names also follows a service that starts logging later', async (t) => {
  const box = makeSandbox(t);
  serviceLog(box, 'web.log', [[0, 1, 'O', 'web first']]);
  const follow = box.spawnCli(['logs', '-f']);
  const out = collectStdout(follow);
  await waitFor(() => out.text().includes('web first'), 15_000, 'the history');
  const late = join(box.paths().dir, 'services', 'late.log');
  appendFileSync(late, `${iso(Date.now())} 1 O late hello\n`);
  await waitFor(() => out.text().includes('late | late hello'), 15_000, 'the new service');
  appendFileSync(late, `${iso(Date.now())} 1 O late again\n`);
  await waitFor(() => out.text().includes('late again'), 15_000, 'more of it');
  follow.kill('SIGINT');
  assert.deepEqual(await exitOf(follow, 10_000), { code: 0, signal: null });
  assert.equal(out.text().split('\n').filter((l) => l.includes('late')).length, 2, 'each line once');
});

test('logs -f follows a service through the writer\'s own rotations (10 MiB files), every line once, in order', async (t) => {
  const box = makeSandbox(t);
  const count = 300_000; // ~22 MB stored: two rotations
  box.write('gen.mjs', `const pad = 'p'.repeat(40); let s = ''; for (let i = 0; i < ${count}; i++) { s += 'n' + i + ' ' + pad + '\\n'; if (s.length > 65536) { process.stdout.write(s); s = ''; } } process.stdout.write(s);\n`);
  box.write('tend.yaml', `services:\n  big:\n    command: sh -c 'while [ ! -f go ]; do sleep 0.05; done; exec ${process.execPath} gen.mjs'\n`);
  assert.equal((await box.cli(['start'])).code, 0);
  const follow = box.spawnCli(['logs', 'big', '-f', '-n', '1']);
  const out = collectStdout(follow);
  await waitFor(() => out.text().includes('--- run 1 started'), 15_000, 'the follower to attach');
  writeFileSync(join(box.projectDir, 'go'), '');
  await waitFor(() => out.text().includes(`big | n${count - 1} `), 60_000, 'the last line');
  await waitFor(() => out.text().includes('--- run 1 exited with code 0'), 15_000, 'the end of the run');
  follow.kill('SIGINT');
  await exitOf(follow, 10_000);
  const numbers = out.text().split('\n').filter((l) => l.startsWith('big | n')).map((l) => Number(l.slice(7, l.indexOf(' ', 7))));
  assert.equal(numbers.length, count, 'every line once');
  assert.ok(numbers.every((n, i) => n === i), 'in order');
  assert.ok(existsSync(join(box.paths().dir, 'services', 'big.log.2')), 'the log did rotate twice');
});

/** Runs `tend ARGS` on a real pty; resolves with what the terminal showed. */
async function onPty(box: Sandbox, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return (await runOnPty([process.execPath, cliPath(), ...args], { cwd: box.projectDir, env, track: box.track })).output;
}

test('on a terminal each source\'s prefix is coloured (the daemon dimmed); never with NO_COLOR', async (t) => {
  const box = makeSandbox(t);
  serviceLog(box, 'web.log', [[10, 1, 'O', 'web one']]);
  daemonLog(box, [[5, 'ready']]);
  const env = { ...box.env };
  delete env.NO_COLOR;
  const coloured = await onPty(box, ['logs'], env);
  assert.match(coloured, /\u001b\[90mtend \|\u001b\[0m ready/);
  assert.match(coloured, /\u001b\[36mweb  \|\u001b\[0m web one/);
  const plain = await onPty(box, ['logs'], { ...env, NO_COLOR: '1' });
  assert.equal(plain.replace(/\r/g, ''), 'tend | ready\nweb  | web one\n');
});

test('logs --until T -f stops (exit 0) once the stream has passed T, showing no line after T, though the service keeps printing', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  tick:\n    command: sh -c 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.05; done'\n`);
  assert.equal((await box.cli(['start'])).code, 0);
  const file = box.paths().serviceLog('tick');
  await until('the first lines', () => existsSync(file) && readFileSync(file, 'utf8').includes('tick 3'));
  const T = Date.now() + 1_000;
  for (const args of [['tick'], []]) {
    const follow = box.spawnCli(['logs', ...args, '-f', '--json', '-n', '100000', '--until', iso(T)]);
    const out = collectStdout(follow);
    assert.deepEqual(await exitOf(follow, 20_000), { code: 0, signal: null }, `logs ${args.join(' ')} -f --until kept following`);
    const lines = jsonLines(out.text());
    assert.ok(lines.some((o) => o.service === 'tick' && o.line?.startsWith('tick')), out.text());
    assert.ok(lines.every((o) => Date.parse(o.time) <= T), 'a line after --until was shown');
    // Followed to T, not just the history: the lines up to T are all there.
    const stored = await box.cli(['logs', 'tick', '--json', '-n', '100000', '--until', iso(T)]);
    assert.deepEqual(lines.filter((o) => o.service === 'tick'), jsonLines(stored.stdout));
  }
  // A T already behind the stream: the history up to it, then done at once.
  const past = await box.cli(['logs', 'tick', '-f', '--until', iso(T)], { timeoutMs: 20_000 });
  assert.equal(past.code, 0);
  assert.match(past.stdout, /tick \| tick 1\n/);
});
