import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeSandbox } from '../../helpers/sandbox.js';
import { assertNothingLeft, daemonPids, startDaemon } from '../../helpers/kit.js';
import { exitOf } from '../../helpers/child.js';
import { occupiedPort } from '../../helpers/ports.js';
import { waitFor } from '../../helpers/wait.js';

// Makes only the detached daemon (the process with the private marker) exit 3 before anything else runs.
const EXIT_IN_DAEMON = fileURLToPath(new URL('../../fixtures/kit/exit-in-daemon.mjs', import.meta.url));

test('start exits 0 once the daemon is ready and prints its pid, endpoint and log file', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['start']);
  assert.equal(r.code, 0, r.stderr);
  const meta = box.metadata();
  assert.ok(meta, 'daemon.json is written');
  assert.match(r.stdout, new RegExp(`\\(pid ${meta.pid}\\)`));
  assert.ok(r.stdout.includes(meta.endpoint), r.stdout);
  assert.ok(r.stdout.includes(box.paths().logFile), r.stdout);
  assert.deepEqual(daemonPids(box), [meta.pid]);
});

test('status --json of a started daemon says running with the CONTRACT fields', async (t) => {
  const box = makeSandbox(t);
  const started = await startDaemon(box);
  const r = await box.cli(['status', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  const meta = box.metadata()!;
  assert.equal(s.state, 'running');
  assert.equal(s.pid, started.pid);
  assert.equal(s.pid, meta.pid);
  assert.equal(s.instanceId, meta.instanceId);
  assert.match(s.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  assert.equal(s.endpoint, meta.endpoint);
  assert.equal(s.version, JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
  assert.equal(new Date(s.startedAt).toISOString(), s.startedAt);
  assert.equal(typeof s.uptimeSeconds, 'number');
  assert.ok(s.uptimeSeconds >= 0);
  assert.equal(s.logFile, box.paths().logFile);
  assert.equal(s.foreground, false);
});

test('the instance dir is <basename>-<8 hex of sha256(realpath)>, 0700, with daemon.json and the log 0600', async (t) => {
  const box = makeSandbox(t);
  const link = join(box.root, 'link-to-project');
  symlinkSync(box.projectDir, link);
  await startDaemon(box, ['--dir', link]);
  const hash = createHash('sha256').update(realpathSync(box.projectDir)).digest('hex').slice(0, 8);
  const dir = join(box.stateDir, `project-${hash}`);
  assert.equal(box.paths().dir, dir);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'daemon.json')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'daemon.log')).mode & 0o777, 0o600);
  // Reached through the real path, it is the same daemon.
  const r = await box.cli(['status', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).pid, box.metadata()!.pid);
});

test('a second start says already running and names the same pid', async (t) => {
  const box = makeSandbox(t);
  const first = await startDaemon(box);
  const r = await box.cli(['start']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`already running \\(pid ${first.pid}\\)`));
  assert.deepEqual(daemonPids(box), [first.pid]);
});

test('start --json of a running daemon has alreadyRunning true and the same pid', async (t) => {
  const box = makeSandbox(t);
  const first = await startDaemon(box);
  assert.equal(first.alreadyRunning, false);
  const again = await startDaemon(box);
  assert.equal(again.alreadyRunning, true);
  assert.equal(again.pid, first.pid);
  assert.equal(again.instanceId, first.instanceId);
});

test('start reports EADDRINUSE with the port, exits 1 at once and leaves nothing behind', async (t) => {
  const box = makeSandbox(t);
  const port = await occupiedPort(t);
  const began = Date.now();
  const r = await box.cli(['start', '--port', String(port)]);
  const took = Date.now() - began;
  assert.equal(r.code, 1);
  assert.match(r.stderr, /EADDRINUSE/);
  assert.ok(r.stderr.includes(String(port)), r.stderr);
  assert.ok(took < 5_000, `start took ${took} ms: it must not wait out its timeout`);
  await assertNothingLeft(box);
});

test('start --json reports a bind error as one JSON error object', async (t) => {
  const box = makeSandbox(t);
  const port = await occupiedPort(t);
  const r = await box.cli(['start', '--json', '--port', String(port)]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  // A closed code, with the system error behind it kept alongside.
  assert.equal(out.error.code, 'PORT_IN_USE');
  assert.equal(out.error.errno, 'EADDRINUSE');
  assert.ok(out.error.message.includes(String(port)));
  await assertNothingLeft(box);
});

test('a daemon killed by SIGKILL before ready makes start exit 1 naming the signal, leaving nothing; the next start works', async (t) => {
  const box = makeSandbox(t);
  for (const step of ['after-lock', 'after-metadata']) {
    const r = await box.cli(['start'], { env: { TEND_TEST_FAULT: step } });
    assert.equal(r.code, 1, `${step}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /killed by SIGKILL before it was ready/, step);
    await assertNothingLeft(box);
  }
  const next = await startDaemon(box);
  assert.equal(next.alreadyRunning, false);
});

test('a daemon that exits with a code before ready makes start exit 1 with that code and the log tail', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['start'], { env: { NODE_OPTIONS: `--import=${EXIT_IN_DAEMON}` } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /exited with code 3 before it was ready/);
  assert.match(r.stderr, /fixture: the daemon crashes on purpose/);
  await assertNothingLeft(box);
  await startDaemon(box);
});

test('start gives up after --wait-timeout, stops the daemon it spawned and leaves nothing behind', async (t) => {
  const box = makeSandbox(t);
  const began = Date.now();
  const child = box.spawnCli(['start', '--wait-timeout', '1'], { env: { TEND_TEST_FAULT: 'hang-before-ready' } });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  // The hanging daemon holds the lock; its owner record names it.
  let daemonPid = 0;
  await waitFor(() => {
    daemonPid = daemonPids(box)[0] ?? 0;
    return daemonPid > 0;
  }, 15_000, 'the daemon to be spawned');
  const { code } = await exitOf(child, 20_000);
  const took = Date.now() - began;
  assert.equal(code, 1, stderr);
  assert.match(stderr, /not ready within 1s/);
  assert.ok(took < 1_000 + 5_000, `start took ${took} ms with --wait-timeout 1`);
  await assertNothingLeft(box, [daemonPid]);
});

test('six racing starts leave exactly one daemon, and all six exit 0 naming its pid', async (t) => {
  const box = makeSandbox(t);
  const results = await Promise.all(Array.from({ length: 6 }, () => box.cli(['start', '--json'])));
  for (const r of results) assert.equal(r.code, 0, r.stdout + r.stderr);
  const outs = results.map((r) => JSON.parse(r.stdout));
  const pids = new Set(outs.map((o) => o.pid));
  assert.equal(pids.size, 1, `pids named: ${[...pids].join(', ')}`);
  assert.equal(outs.filter((o) => o.alreadyRunning === false).length, 1);
  const [pid] = pids;
  await waitFor(() => daemonPids(box).length === 1, 10_000, 'the losing daemons to exit');
  assert.deepEqual(daemonPids(box), [pid]);
  assert.equal(box.metadata()!.pid, pid);
});

test('Ctrl-C while start waits stops the daemon it spawned and leaves nothing behind', async (t) => {
  const box = makeSandbox(t);
  const child = box.spawnCli(['start'], { env: { TEND_TEST_FAULT: 'hang-before-ready' } });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  let daemonPid = 0;
  await waitFor(() => {
    daemonPid = daemonPids(box)[0] ?? 0;
    return daemonPid > 0 && existsSync(box.paths().metadataFile);
  }, 15_000, 'the daemon to be spawned');
  child.kill('SIGINT');
  const { code } = await exitOf(child, 15_000);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /interrupted/);
  await assertNothingLeft(box, [daemonPid]);
});

test('start refuses a state dir that others can write, before spawning anything', async (t) => {
  const box = makeSandbox(t);
  mkdirSync(box.stateDir, { mode: 0o700 });
  chmodSync(box.stateDir, 0o777);
  const r = await box.cli(['start']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /writable by others/);
  assert.match(r.stderr, /chmod go-w/);
  assert.deepEqual(daemonPids(box), []);
  assert.equal(existsSync(box.paths().dir), false, 'nothing of ours is made inside a dir others can write');
  assert.equal(existsSync(box.paths().logFile), false, 'nothing was spawned');
});

test('a relative TEND_STATE_DIR is refused: start and the daemon (in the project dir) would resolve it apart', async (t) => {
  const box = makeSandbox(t);
  const env = { TEND_STATE_DIR: 'state' };
  const r = await box.cli(['start', '--json', '--dir', 'project', '--wait-timeout', '5'], { env, cwd: box.root });
  assert.equal(r.code, 2, 'bad input: ' + r.stdout + r.stderr);
  assert.match(r.stderr, /TEND_STATE_DIR must be an absolute path, got "state"/);
  assert.equal(existsSync(join(box.root, 'state')), false);
  assert.equal(existsSync(join(box.projectDir, 'state')), false);
  assert.deepEqual(daemonPids(box), []);
});
