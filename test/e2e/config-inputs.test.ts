import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';

const YAML = 'services:\n  web:\n    command: sleep 300\n    env_file: .env\n';

test('start with an env_file that is a FIFO, /dev/zero, a directory or huge exits 1 at once naming it, leaving nothing', async (t) => {
  const plants: [string, (file: string) => void, RegExp][] = [
    ['fifo', (f) => void execFileSync('mkfifo', [f]), /env file "\.env" is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero', (f) => symlinkSync('/dev/zero', f), /env file "\.env" is a character device, not a regular file/],
    ['directory', (f) => mkdirSync(f), /env file "\.env" is a directory, not a regular file/],
    ['huge', (f) => writeFileSync(f, 'A=1\n'.repeat(300_000)), /env file "\.env" is 1200000 bytes; the limit is 1048576 \(1 MiB\)/],
  ];
  for (const [name, plant, why] of plants) {
    const box = makeSandbox(t, { 'tend.yaml': YAML });
    plant(join(box.projectDir, '.env'));
    // A start that waits on the FIFO never returns: the sandbox's timeout fails the test.
    const r = await box.cli(['start'], { timeoutMs: 20_000 });
    assert.equal(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /tend\.yaml:4:15: services\.web\.env_file: /, name);
    assert.match(r.stderr, why, name);
    assert.doesNotMatch(r.stderr, /    at /, `${name}: a stack trace`);
    let state: string[] = [];
    try {
      state = readdirSync(box.stateDir);
    } catch {
      // Never made: the best case.
    }
    assert.deepEqual(state, [], `${name}: state left behind`);
  }
});

test('a tend.yaml that is a FIFO is refused by start, naming it, instead of hanging or running with no services', async (t) => {
  const box = makeSandbox(t);
  execFileSync('mkfifo', [join(box.projectDir, 'tend.yaml')]);
  const r = await box.cli(['start'], { timeoutMs: 20_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /the config file \S+tend\.yaml is a FIFO \(named pipe\), not a regular file/);
});

test('a reload that meets a FIFO env_file is refused at once and the daemon keeps serving', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': YAML, '.env': 'A=1\n' });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  rmSync(join(box.projectDir, '.env'));
  execFileSync('mkfifo', [join(box.projectDir, '.env')]);
  const r = await box.cli(['reload'], { timeoutMs: 20_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /env file "\.env" is a FIFO/);
  const status = await box.cli(['status'], { timeoutMs: 20_000 });
  assert.equal(status.code, 0, status.stdout + status.stderr);
  const ps = await box.cli(['ps', '--json'], { timeoutMs: 20_000 });
  assert.equal(JSON.parse(ps.stdout).services[0].state, 'running');
  assert.equal((await box.cli(['stop'])).code, 0);
});

test('70,000 env keys are refused in seconds with the line, not validated for minutes', async (t) => {
  const many = Array.from({ length: 70_000 }, (_, i) => `K${i}: v`).join(', ');
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  web:\n    command: sleep 300\n    env: { ${many} }\n` });
  const r = await box.cli(['start'], { timeoutMs: 40_000 });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /tend\.yaml:4:10: a mapping with 70000 keys; at most 10000 are allowed/);
});

test('a 300-character service name and a NUL in an env value are refused before anything starts; a Procfile "-web" runs and logs', async (t) => {
  const long = 'a'.repeat(300);
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  ${long}:\n    command: sleep 300\n  web:\n    command: sleep 300\n    env: { A: "x\\0y" }\n` });
  const r = await box.cli(['start']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /tend\.yaml:2:3: services\.a{300}: invalid service name/);
  assert.match(r.stderr, /tend\.yaml:6:15: "x\\u0000y" holds a NUL byte/);
  const proc = makeSandbox(t, { Procfile: '-web: echo hello from -web; sleep 300\n' });
  assert.equal((await proc.cli(['start', '--wait'])).code, 0);
  const logs = await proc.cli(['logs', '--', '-web']);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /-web \| hello from -web/);
  assert.equal((await proc.cli(['stop'])).code, 0);
});
