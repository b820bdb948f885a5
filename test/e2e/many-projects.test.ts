import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { startDaemon, startTimeOf } from '../helpers/kit.js';
import { instancePaths } from '../../src/kit/state/paths.js';
import { isGone, waitGone } from '../helpers/proc.js';
import { freePort } from '../helpers/ports.js';

test('ls lists every daemon of the state root, running and stale, and changes nothing', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', 'services:\n  a:\n    command: sleep 1000\n  b:\n    command: "true"\n');
  const other = join(box.root, 'other');
  mkdirSync(other);
  const dead = join(box.root, 'dead');
  mkdirSync(dead);
  const running = await startDaemon(box);
  await startDaemon(box, ['--dir', other]);
  const gone = await startDaemon(box, ['--dir', dead]);
  process.kill(gone.pid, 'SIGKILL');
  assert.ok(await waitGone(gone.pid));

  const r = await box.cli(['ls', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const { daemons } = JSON.parse(r.stdout);
  assert.deepEqual(
    daemons.map((d: any) => [d.project, d.state, d.pid]),
    [
      [realpathSync(dead), 'stale', gone.pid],
      [realpathSync(other), 'running', daemons[1].pid],
      [box.projectDir, 'running', running.pid],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );
  const mine = daemons.find((d: any) => d.project === box.projectDir);
  assert.match(mine.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  assert.equal(typeof mine.uptimeSeconds, 'number');
  assert.equal(mine.services.total, 2);
  assert.ok(Array.isArray(mine.ports));
  // Read-only: the stale state is still there for `stop` or `start` to deal with.
  assert.ok(existsSync(instancePaths(box.stateDir, realpathSync(dead)).metadataFile), 'ls removed stale state');

  const human = await box.cli(['list']);
  assert.equal(human.code, 0, human.stderr);
  const lines = human.stdout.trim().split('\n');
  assert.match(lines[0]!, /^PROJECT\s+PID\s+STATE\s+UPTIME\s+SERVICES\s+PORTS\s+ENDPOINT$/);
  assert.ok(lines.some((l) => l.startsWith(box.projectDir) && /\brunning\b/.test(l) && /\b\d\/2\b/.test(l)), human.stdout);
  assert.ok(lines.some((l) => l.startsWith(realpathSync(dead)) && /\bstale\b/.test(l)), human.stdout);
});

test('stop --all stops every daemon with stop\'s identity checks, never a stranger named by daemon.json', async (t) => {
  const box = makeSandbox(t);
  const second = join(box.root, 'second');
  mkdirSync(second);
  const a = await startDaemon(box);
  const b = await startDaemon(box, ['--dir', second]);
  // A third "daemon" whose daemon.json names an unrelated live process.
  const stranger = spawn('sleep', ['1000'], { stdio: 'ignore' });
  assert.ok(stranger.pid);
  box.track(stranger.pid);
  t.after(() => void stranger.kill('SIGKILL'));
  const fake = join(box.root, 'fake');
  mkdirSync(fake);
  const paths = instancePaths(box.stateDir, realpathSync(fake));
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const port = await freePort();
  writeFileSync(
    paths.metadataFile,
    JSON.stringify({
      schema: 1, pid: stranger.pid, processStartTime: startTimeOf(stranger.pid), instanceId: 'x', startedAt: new Date().toISOString(), version: '0.1.0',
      endpoint: `http://127.0.0.1:${port}/graphql`, host: '127.0.0.1', port, token: 't', projectDir: realpathSync(fake), logFile: paths.logFile, foreground: false,
    }),
    { mode: 0o600 },
  );

  const r = await box.cli(['stop', '--all', '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const results = JSON.parse(r.stdout).daemons as { project: string; result: string; pid?: number }[];
  assert.deepEqual(results.map((x) => x.result).sort(), ['cleaned-stale', 'stopped', 'stopped']);
  assert.ok(isGone(a.pid) && isGone(b.pid), 'both daemons are gone');
  assert.equal(isGone(stranger.pid), false, 'the stranger was signalled');
  assert.equal((await box.cli(['status'])).code, 3);
  const after = await box.cli(['ls', '--json']);
  assert.deepEqual(JSON.parse(after.stdout).daemons, []);
  const none = await box.cli(['stop', '--all']);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /no daemons running/);
  assert.equal((await box.cli(['stop', 'web', '--all'])).code, 2, 'names and --all together are refused (bad input)');
});

/** Makes `dir` (under the state root) hold a daemon.json naming `pid`, for `project`. */
function plantMetadata(box: Sandbox, dir: string, project: string, pid: number, port: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(dir, 'daemon.json'),
    JSON.stringify({
      schema: 1, pid, processStartTime: startTimeOf(pid), instanceId: 'x', startedAt: new Date().toISOString(), version: '0.1.0',
      endpoint: `http://127.0.0.1:${port}/graphql`, host: '127.0.0.1', port, token: 't', projectDir: project, logFile: join(dir, 'daemon.log'), foreground: false,
    }),
    { mode: 0o600 },
  );
}

test('ls lists every other daemon when an instance dir is unsafe, and shows that one as unsafe with why; stop --all skips it unsignalled', async (t) => {
  const box = makeSandbox(t);
  const good = await startDaemon(box);
  // A real daemon whose instance dir became group-writable: not to be trusted, so never signalled.
  const shared = join(box.root, 'shared');
  mkdirSync(shared);
  const exposed = await startDaemon(box, ['--dir', shared]);
  const exposedDir = instancePaths(box.stateDir, realpathSync(shared)).dir;
  chmodSync(exposedDir, 0o770);
  // A symlink in the state root, named as an instance dir, to a dir naming a live stranger.
  const stranger = spawn('sleep', ['1000'], { stdio: 'ignore' });
  assert.ok(stranger.pid);
  box.track(stranger.pid);
  t.after(() => void stranger.kill('SIGKILL'));
  const elsewhere = join(box.root, 'elsewhere');
  const linkedProject = join(box.root, 'linked');
  mkdirSync(linkedProject);
  const linkedDir = instancePaths(box.stateDir, realpathSync(linkedProject)).dir;
  plantMetadata(box, elsewhere, realpathSync(linkedProject), stranger.pid, await freePort());
  symlinkSync(elsewhere, linkedDir);
  const unsafeDirs = [exposedDir, linkedDir];
  // Planted by another user (needs root to make one).
  if (process.getuid?.() === 0) {
    const theirs = join(box.root, 'theirs');
    mkdirSync(theirs);
    const theirDir = instancePaths(box.stateDir, realpathSync(theirs)).dir;
    plantMetadata(box, theirDir, realpathSync(theirs), stranger.pid, await freePort());
    chownSync(join(theirDir, 'daemon.json'), 65534, 65534);
    chownSync(theirDir, 65534, 65534);
    unsafeDirs.push(theirDir);
  }

  const r = await box.cli(['ls', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const { daemons } = JSON.parse(r.stdout);
  const mine = daemons.find((d: any) => d.project === box.projectDir);
  assert.equal(mine?.state, 'running', r.stdout);
  assert.equal(mine.pid, good.pid);
  const unsafe = daemons.filter((d: any) => d.state === 'unsafe');
  assert.deepEqual(unsafe.map((d: any) => d.dir).sort(), [...unsafeDirs].sort(), r.stdout);
  for (const d of unsafe) {
    assert.equal(d.pid, null);
    assert.equal(d.project, null);
    assert.match(d.reason, /writable by others|symbolic link|belongs to uid/);
  }
  assert.match(unsafe.find((d: any) => d.dir === exposedDir).reason, /chmod go-w/);
  assert.match(unsafe.find((d: any) => d.dir === linkedDir).reason, /symbolic link/);

  const human = await box.cli(['ls']);
  assert.equal(human.code, 0, human.stderr);
  assert.ok(human.stdout.split('\n').some((l) => l.startsWith(exposedDir) && /\bunsafe\b/.test(l)), human.stdout);
  assert.ok(human.stdout.split('\n').some((l) => l.startsWith(box.projectDir) && /\brunning\b/.test(l)), human.stdout);
  assert.match(human.stderr, new RegExp(`${exposedDir}: unsafe, not read: .*writable by others`));

  const stop = await box.cli(['stop', '--all', '--json']);
  assert.equal(stop.code, 1, 'an unsafe dir counts as a daemon not stopped');
  const results = JSON.parse(stop.stdout).daemons as { project: string; result: string; error?: { code: string } }[];
  assert.deepEqual(results.filter((x) => x.result === 'skipped-unsafe').map((x) => x.project).sort(), [...unsafeDirs].sort());
  assert.ok(results.filter((x) => x.result === 'skipped-unsafe').every((x) => x.error?.code === 'STATE_UNSAFE'));
  assert.ok(results.some((x) => x.project === box.projectDir && x.result === 'stopped'), stop.stdout);
  assert.ok(await waitGone(good.pid), 'the safe daemon was stopped');
  assert.equal(isGone(exposed.pid), false, 'the daemon of the unsafe dir was signalled');
  assert.equal(isGone(stranger.pid), false, 'the stranger was signalled');
  const said = await box.cli(['stop', '--all']);
  assert.match(said.stderr, new RegExp(`${exposedDir}: skipped, nothing signalled: .*writable by others`));
});
