import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadProjectConfig } from '../../../src/services/config/index.js';
import { MAX_CONFIG_INPUT_BYTES, readConfigInput } from '../../../src/services/config/read-input.js';
import { issuesOf, lines, project, yamlIssues } from './project.js';

const WEB_WITH_ENV_FILE = ['services:', '  web:', '    command: node server.js', '    env_file: .env'];

/** Makes `name` in `dir` a FIFO (no writer: reading it would block forever). */
function fifo(dir: string, name: string): string {
  const file = path.join(dir, name);
  execFileSync('mkfifo', [file]);
  return file;
}

test('readConfigInput refuses what is not a regular file, at once, naming the file and what it is', (t) => {
  const dir = project(t, { 'sub/': '' });
  const cases: [string, RegExp][] = [
    [fifo(dir, 'pipe'), /is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero', /is a character device, not a regular file/],
    [path.join(dir, 'sub'), /is a directory, not a regular file/],
    [path.join(dir, 'absent'), /does not exist/],
  ];
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero-link'));
  cases.push([path.join(dir, 'zero-link'), /is a character device/]);
  for (const [file, why] of cases) {
    assert.throws(() => readConfigInput(file, 'env file'), (err: Error & { code: string }) => {
      assert.equal(err.code, 'CONFIG_INVALID');
      assert.match(err.message, new RegExp(`^env file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
      assert.match(err.message, why);
      return true;
    }, file);
  }
});

test('readConfigInput refuses a file over the size cap without reading it, and reads a symlink to a regular file', (t) => {
  const dir = project(t, { 'ok.env': '\uFEFFA=1\n' });
  const big = path.join(dir, 'big.env');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, MAX_CONFIG_INPUT_BYTES + 1);
  assert.throws(() => readConfigInput(big, 'env file'), /is 1048577 bytes; the limit is 1048576 \(1 MiB\)/);
  fs.symlinkSync(path.join(dir, 'ok.env'), path.join(dir, 'link.env'));
  assert.equal(readConfigInput(path.join(dir, 'link.env'), 'env file'), 'A=1\n');
});

test('env_file that is a FIFO, /dev/zero, a directory or huge is refused with file:line:col and which file', (t) => {
  const make: [string, (dir: string) => void, RegExp][] = [
    ['fifo', (dir) => void fifo(dir, '.env'), /a FIFO/],
    ['/dev/zero', (dir) => fs.symlinkSync('/dev/zero', path.join(dir, '.env')), /a character device/],
    ['directory', (dir) => fs.mkdirSync(path.join(dir, '.env')), /a directory/],
    ['huge', (dir) => fs.ftruncateSync(fs.openSync(path.join(dir, '.env'), 'w'), 64 * 1024 * 1024), /67108864 bytes; the limit is 1048576/],
  ];
  for (const [name, plant, why] of make) {
    const dir = project(t, { 'tend.yaml': lines(...WEB_WITH_ENV_FILE) });
    plant(dir);
    const issues = issuesOf(dir);
    assert.equal(issues.length, 1, name);
    assert.match(issues[0]!, /^tend\.yaml:4:15: services\.web\.env_file: env file "\.env" /, name);
    assert.match(issues[0]!, why, name);
  }
});

test('a project .env that is a FIFO is refused, naming it, instead of being waited on', (t) => {
  const dir = project(t, { 'tend.yaml': lines('services:', '  web: { command: x }') });
  fifo(dir, '.env');
  assert.throws(() => loadProjectConfig(dir), new RegExp(`the project env file ${path.join(dir, '.env')} is a FIFO \\(named pipe\\), not a regular file`));
});

test('a tend.yaml or Procfile that is a FIFO or a device is refused, naming it, instead of being waited on or skipped', (t) => {
  for (const name of ['tend.yaml', 'Procfile']) {
    const dir = project(t, {});
    fifo(dir, name);
    assert.throws(() => loadProjectConfig(dir), new RegExp(`the config file ${path.join(dir, name)} is a FIFO \\(named pipe\\), not a regular file`));
    const other = project(t, {});
    fs.symlinkSync('/dev/zero', path.join(other, name));
    assert.throws(() => loadProjectConfig(other), /is a character device, not a regular file/);
  }
});

test('70,000 env keys are validated in linear time; a duplicate key among them is found with its line', (t) => {
  const keys = Array.from({ length: 2_000 }, (_, i) => `      K${i}: "v${i}"`);
  const dir = project(t, { 'tend.yaml': lines('services:', '  web:', '    command: x', '    env:', ...keys, '      K17: again') });
  assert.deepEqual(issuesOf(dir), [`tend.yaml:${5 + keys.length}:7: duplicate key "K17" (first on line ${5 + 17})`]);
  // The issue's 70,000 keys, in flow style to fit the 1 MiB cap: refused by the key cap, not after 80 s.
  const many = Array.from({ length: 70_000 }, (_, i) => `K${i}: v`).join(', ');
  const tooMany = project(t, { 'tend.yaml': lines('services:', '  web:', '    command: x', `    env: { ${many} }`) });
  assert.deepEqual(issuesOf(tooMany), ['tend.yaml:4:10: a mapping with 70000 keys; at most 10000 are allowed']);
});

test('duplicate keys anywhere in tend.yaml are refused with both lines', (t) => {
  assert.deepEqual(yamlIssues(t, ['services:', '  web:', '    command: a', '  web:', '    command: b']), [
    'tend.yaml:4:3: duplicate key "web" (first on line 2)',
  ]);
});

test('a service name over 63 characters is refused with its place; a Procfile name may start with "-" or "_"', (t) => {
  const long = 'a'.repeat(300);
  const issues = yamlIssues(t, ['services:', `  ${long}:`, '    command: x']);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /^tend\.yaml:2:3: services\.a{300}: invalid service name "a{300}"; use at most 63 letters/);
  const ok = loadProjectConfig(project(t, { Procfile: lines('-web: node a.js', '_worker: node b.js', `${'b'.repeat(63)}: x`) }));
  assert.deepEqual(ok.services.map((s) => s.name), ['-web', '_worker', 'b'.repeat(63)]);
  assert.match(issuesOf(project(t, { Procfile: lines(`${long}: x`) }))[0]!, /^Procfile:1:1: invalid process name/);
  // Names foreman would not run never become a log file name: skipped, with a warning.
  for (const bad of ['.hidden', '..', 'a/b']) {
    const skipped = loadProjectConfig(project(t, { Procfile: lines(`${bad}: x`) }));
    assert.deepEqual([skipped.services.length, skipped.warnings?.length], [0, 1], bad);
  }
});

test('a NUL byte in an env value, a command or an env file is refused with file:line:col', (t) => {
  assert.deepEqual(yamlIssues(t, ['services:', '  web:', '    command: x', '    env:', '      A: "a\\0b"']), [
    'tend.yaml:5:10: "a\\u0000b" holds a NUL byte, which no command line or environment can carry',
  ]);
  assert.deepEqual(yamlIssues(t, ['services:', '  web:', '    command: "x\\0"']), [
    'tend.yaml:3:14: "x\\u0000" holds a NUL byte, which no command line or environment can carry',
  ]);
  const issues = yamlIssues(t, WEB_WITH_ENV_FILE, { '.env': 'A=a\0b\n' });
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /^tend\.yaml:4:15: services\.web\.env_file: env file "\.env": "A" holds a NUL byte/);
  assert.deepEqual(issuesOf(project(t, { Procfile: 'web: echo a\0b\n' })), ['Procfile:1:12: the command holds a NUL byte, which no command line can carry']);
});
