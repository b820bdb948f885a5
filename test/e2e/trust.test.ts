import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { bootId, inspectProcess, processStartTime } from '../../src/kit/process/process-info.js';
import type { InstancePaths } from '../../src/kit/state/paths.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { cliPath } from '../helpers/cli.js';

const STRANGER_UID = 65534;
const isRoot = process.getuid?.() === 0;

/** A live process of ours (the victim): planted state names it. */
function victim(t: TestContext, box: Sandbox): number {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  box.track(child.pid!);
  t.after(() => {
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  return child.pid!;
}

/** daemon.lock/, owner record, daemon.json and services.json naming `pid` with its real start time and boot id. */
function plant(paths: InstancePaths, pid: number): void {
  mkdirSync(paths.lockDir, { recursive: true });
  mkdirSync(paths.servicesDir, { recursive: true });
  const who = { pid, processStartTime: processStartTime(pid), bootId: bootId(), instanceId: 'planted' };
  writeFileSync(paths.ownerFile, JSON.stringify(who));
  writeFileSync(paths.metadataFile, JSON.stringify({
    schema: 1, ...who, startedAt: new Date().toISOString(), version: '0.0.0', endpoint: 'http://127.0.0.1:9/graphql',
    host: '127.0.0.1', port: 9, token: 'planted', projectDir: paths.projectDir, logFile: paths.logFile, foreground: false,
  }));
  writeFileSync(paths.servicesFile, JSON.stringify({
    version: 1, owner: { pid: 2, startTime: null }, bootId: bootId(),
    services: [{ name: 'web', pid, pgid: pid, startTime: processStartTime(pid) }],
  }));
  writeFileSync(paths.logFile, 'planted log line\n');
  writeFileSync(paths.serviceLog('web'), 'planted web line\n');
}

/** A sandbox whose instance state names a live victim (see plant), with these modes on the state root and the instance dir. */
function plantedInstance(t: TestContext, modes: { root: number; instance: number }): { box: Sandbox; pid: number; paths: InstancePaths } {
  const box = makeSandbox(t);
  const pid = victim(t, box);
  const paths = box.paths();
  plant(paths, pid);
  chmodSync(box.stateDir, modes.root);
  chmodSync(paths.dir, modes.instance);
  return { box, pid, paths };
}

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  if (!statSync(dir).isDirectory()) return;
  for (const entry of readdirSync(dir)) chownTree(join(dir, entry), uid);
}

/** Every reader refuses with the fix (status 4, the rest 1) and the victim gets no signal. */
async function expectRefused(box: Sandbox, pid: number, fix: RegExp): Promise<void> {
  const runs: [string[], number][] = [[['status'], 4], [['status', '--json'], 4], [['status', '--watch'], 4], [['stop'], 1], [['stop', '--force', '--timeout', '0'], 1],
    [['ps'], 1], [['logs'], 1], [['logs', 'web'], 1], [['stop', 'web'], 1], [['restart'], 1]];
  for (const [args, code] of runs) {
    const r = await box.cli(args);
    assert.equal(r.code, code, `tend ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, fix, `tend ${args.join(' ')}`);
    assert.doesNotMatch(r.stdout + r.stderr, /planted (log|web) line|    at /, `tend ${args.join(' ')} trusted a planted file or crashed`);
    assert.equal(inspectProcess(pid).kind, 'alive', `tend ${args.join(' ')} signalled the victim pid ${pid}`);
  }
}

test('state planted by another user in a shared TEND_STATE_DIR never steers a signal: every reader refuses with the fix', { skip: !isRoot && 'needs root to plant files as another user' }, async (t) => {
  const { box, pid, paths } = plantedInstance(t, { root: 0o755, instance: 0o755 });
  chownTree(box.stateDir, STRANGER_UID);
  await expectRefused(box, pid, /the state dir \S+ belongs to uid 65534, not you \(uid 0\); remove it or set TEND_STATE_DIR/);
});

test('an instance dir owned by another user inside your own state root is refused too', { skip: !isRoot && 'needs root to plant files as another user' }, async (t) => {
  const { box, pid, paths } = plantedInstance(t, { root: 0o700, instance: 0o755 });
  chownTree(paths.dir, STRANGER_UID);
  await expectRefused(box, pid, /belongs to uid 65534/);
});

test('files planted by another user in your own private instance dir are refused', { skip: !isRoot && 'needs root to plant files as another user' }, async (t) => {
  const { box, pid, paths } = plantedInstance(t, { root: 0o700, instance: 0o700 });
  for (const f of [paths.metadataFile, paths.ownerFile]) chownSync(f, STRANGER_UID, STRANGER_UID);
  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 1, stop.stderr);
  assert.match(stop.stderr, /daemon\.(json|owner\.json) belongs to uid 65534, not you \(uid 0\); remove it/);
  assert.equal(inspectProcess(pid).kind, 'alive');
});

test('a group- or world-writable state dir of your own is refused by every reader, with the chmod that fixes it', async (t) => {
  for (const [which, mode] of [['root', 0o770], ['root', 0o777], ['instance', 0o722]] as const) {
    const { box, pid, paths } = plantedInstance(t, { root: 0o700, instance: 0o700 });
    const dir = which === 'root' ? box.stateDir : paths.dir;
    chmodSync(dir, mode);
    await expectRefused(box, pid, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is writable by others; fix it with: chmod go-w`));
  }
});

test('a symlinked instance dir or state root is refused by every reader', async (t) => {
  for (const which of ['instance', 'root'] as const) {
    const box = makeSandbox(t);
    const pid = victim(t, box);
    const real = join(box.root, 'elsewhere');
    mkdirSync(real, { mode: 0o700 });
    let paths: InstancePaths;
    if (which === 'instance') {
      mkdirSync(box.stateDir, { mode: 0o700 });
      paths = box.paths();
      symlinkSync(real, paths.dir);
      plant(paths, pid);
    } else {
      symlinkSync(real, box.stateDir);
      paths = box.paths();
      plant(paths, pid);
    }
    await expectRefused(box, pid, /is a symbolic link; remove it/);
  }
});

test('a shell whose cwd was deleted gets one line, and an absolute --dir still works', async (t) => {
  const box = makeSandbox(t, { 'Procfile': 'web: sleep 300\n' });
  const gone = join(box.root, 'gone');
  // A shell that cd'd into a dir that was then removed.
  const status = await shell(box, gone, 'status');
  assert.equal(status.code, 64, 'bad input, for status (LSB gives its 2 a meaning)');
  assert.equal(status.stderr.trim().split('\n').length, 1, status.stderr);
  assert.match(status.stderr, /the current directory no longer exists .*--dir with an absolute path/);
  const start = await shell(box, gone, `start --dir ${box.projectDir}`);
  assert.equal(start.code, 0, start.stderr);
  const st = await shell(box, gone, `status --dir ${box.projectDir}`);
  assert.equal(st.code, 0, st.stderr);
  const stop = await shell(box, gone, `stop --dir ${box.projectDir}`);
  assert.equal(stop.code, 0, stop.stderr);
});

test('a relative TEND_STATE_DIR is refused before anything is made', async (t) => {
  const box = makeSandbox(t, { 'Procfile': 'web: sleep 300\n' });
  for (const args of [['start'], ['status'], ['stop']]) {
    const r = await box.cli(args, { env: { TEND_STATE_DIR: 'state' } });
    assert.equal(r.code, args[0] === 'status' ? 64 : 2, `bad input: ${args}: ${r.stderr}`);
    assert.match(r.stderr, /^tend: TEND_STATE_DIR must be an absolute path, got "state"\n$/);
  }
  assert.deepEqual(readdirSync(box.projectDir), ['Procfile']);
});

function shell(box: Sandbox, cwd: string, args: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `mkdir -p "${cwd}" && cd "${cwd}" && rmdir "${cwd}" && exec "${process.execPath}" "${cliPath()}" ${args}`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('under umask 000 every dir tend creates is 0700 and every file 0600, the lock dir included', async (t) => {
  const box = makeSandbox(t, { 'Procfile': 'web: echo up; sleep 300\n' });
  const old = process.umask(0);
  let up;
  try {
    up = box.cli(['start', '--wait']); // the child inherits the umask at spawn
  } finally {
    process.umask(old);
  }
  assert.equal((await up).code, 0);
  const seen: string[] = [];
  const walk = (path: string) => {
    const st = statSync(path);
    const mode = st.mode & 0o777;
    seen.push(`${path.slice(box.stateDir.length) || '/'} ${mode.toString(8)}`);
    if (st.isDirectory()) {
      assert.equal(mode, 0o700, `${path} is ${mode.toString(8)}`);
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else assert.equal(mode, 0o600, `${path} is ${mode.toString(8)}`);
  };
  walk(box.stateDir);
  for (const name of ['daemon.lock', 'daemon.json', 'services', 'services/web.log']) {
    assert.ok(seen.some((s) => s.includes(`/${name} `)), `${name} was not made: ${seen.join(', ')}`);
  }
  assert.equal((await box.cli(['stop'])).code, 0);
});
