import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import envPaths from 'env-paths';
import { join } from 'node:path';
import { test } from 'node:test';
import type { InputError } from '../../../src/kit/errors.js';
import { envPrefix, instancePaths, stateRoot } from '../../../src/kit/state/paths.js';

test('stateRoot uses $TEND_STATE_DIR first, over XDG_STATE_HOME', () => {
  assert.equal(stateRoot({ name: 'tend', env: { TEND_STATE_DIR: '/var/tmp/s', XDG_STATE_HOME: '/xdg' } }), '/var/tmp/s');
});

test('stateRoot refuses a relative $TEND_STATE_DIR: one project would get a daemon per directory it is started from', () => {
  for (const rel of ['rel/state', '.', './s', '../s']) {
    assert.throws(() => stateRoot({ name: 'tend', env: { TEND_STATE_DIR: rel } }), (err: InputError) => {
      assert.equal(err.code, 'BAD_INPUT');
      assert.match(err.message, /TEND_STATE_DIR must be an absolute path, got/);
      return true;
    }, rel);
  }
});

test('stateRoot ignores a relative $XDG_STATE_HOME, as the XDG spec says', () => {
  const home = { HOME: '/home/u' };
  assert.equal(stateRoot({ name: 'tend', env: { ...home, XDG_STATE_HOME: 'rel' }, platform: 'linux' }), '/home/u/.local/state/tend');
  assert.equal(stateRoot({ name: 'tend', env: { ...home, XDG_STATE_HOME: '/xdg' }, platform: 'linux' }), '/xdg/tend');
});

test("stateRoot reads the tool's own variable: my-tool reads MY_TOOL_STATE_DIR", () => {
  assert.equal(envPrefix('my-tool'), 'MY_TOOL');
  assert.equal(stateRoot({ name: 'my-tool', env: { MY_TOOL_STATE_DIR: '/s' } }), '/s');
  assert.equal(stateRoot({ name: 'my-tool', env: { TEND_STATE_DIR: '/s', XDG_STATE_HOME: '/xdg' } }), '/xdg/my-tool');
});

test('stateRoot uses $XDG_STATE_HOME/<name> when set, on every platform', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    assert.equal(stateRoot({ name: 'tend', env: { XDG_STATE_HOME: '/xdg/state' }, platform }), '/xdg/state/tend', platform);
  }
});

test('stateRoot treats an empty variable as unset', () => {
  assert.equal(stateRoot({ name: 'tend', env: { TEND_STATE_DIR: '', XDG_STATE_HOME: '/xdg' } }), '/xdg/tend');
});

test("stateRoot falls back to env-paths: its log dir on Linux, its data dir on macOS, never with a -nodejs suffix", () => {
  const expected = envPaths('tend', { suffix: '' });
  assert.equal(stateRoot({ name: 'tend', env: {}, platform: 'linux' }), expected.log);
  assert.equal(stateRoot({ name: 'tend', env: {}, platform: 'darwin' }), expected.data);
  assert.ok(!stateRoot({ name: 'tend', env: {}, platform: 'linux' }).includes('nodejs'));
});

test('instancePaths names the instance dir <basename>-<first 8 hex of sha256(project)> and its files inside', () => {
  const project = '/home/u/my app';
  const hash = createHash('sha256').update(project).digest('hex').slice(0, 8);
  const p = instancePaths('/state', project);
  assert.equal(p.dir, join('/state', `my app-${hash}`));
  assert.equal(p.projectDir, project);
  assert.equal(p.stateRoot, '/state');
  for (const file of [p.metadataFile, p.lockDir, p.ownerFile, p.logFile, p.guardDir]) assert.equal(file.startsWith(p.dir + '/'), true, file);
  assert.equal(p.metadataFile, join(p.dir, 'daemon.json'));
  assert.equal(p.logFile, join(p.dir, 'daemon.log'));
  assert.equal(p.servicesDir, join(p.dir, 'services'));
  assert.equal(p.serviceLog('web'), join(p.dir, 'services', 'web.log'));
  assert.equal(p.serviceLog('-web'), join(p.dir, 'services', '-web.log'));
  assert.equal(p.servicesFile, join(p.dir, 'services.json'));
});

test('serviceLog keeps a name typed on the command line inside the services dir', () => {
  const p = instancePaths('/state', '/p');
  for (const bad of ['', '../x', 'a/b', '.hidden', '..', 'nul\0']) assert.throws(() => p.serviceLog(bad), /invalid service name/, bad);
});

test('instancePaths hashes the project path as sha256 of its UTF-8 bytes, as node:crypto does', () => {
  for (const project of ['/', '/a', '/home/u/my app', '/srv/проект/日本語', `/x/${'long-name'.repeat(40)}`, '/tmp/emoji-\u{1F600}']) {
    const hash = createHash('sha256').update(project).digest('hex').slice(0, 8);
    assert.equal(instancePaths('/s', project).dir.slice(-8), hash, project);
  }
});

test('instancePaths never locks the metadata file itself', () => {
  const p = instancePaths('/state', '/p');
  assert.notEqual(p.lockTarget, p.metadataFile);
  assert.notEqual(p.lockDir, p.metadataFile);
  assert.notEqual(p.lockDir, `${p.metadataFile}.lock`);
});

test('instancePaths gives projects sharing a basename different dirs, and names the root project', () => {
  assert.notEqual(instancePaths('/s', '/a/web').dir, instancePaths('/s', '/b/web').dir);
  assert.match(instancePaths('/s', '/').dir, /^\/s\/root-[0-9a-f]{8}$/);
});
