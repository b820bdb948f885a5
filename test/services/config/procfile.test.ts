import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadProjectConfig } from '../../../src/services/config/index.js';
import { issuesOf, lines, project } from './project.js';

test('a Procfile gives one shell-command service per line, in the project dir, with defaults', (t) => {
  const dir = project(t, {
    Procfile: lines('# dev processes', 'web: node server.js', '', 'worker:   node worker.js --queue=a:b  ', '  # indented comment', 'css.watch: sass --watch'),
  });
  const config = loadProjectConfig(dir);
  assert.equal(config.kind, 'procfile');
  assert.equal(config.file, path.join(dir, 'Procfile'));
  assert.deepEqual(config.daemon, {});
  const defaults = { cwd: dir, env: {}, dependsOn: {}, ready: null, restart: 'no', stopSignal: 'SIGTERM', stopTimeoutMs: 10_000 };
  assert.deepEqual(config.services, [
    { name: 'web', command: 'node server.js', ...defaults },
    { name: 'worker', command: 'node worker.js --queue=a:b', ...defaults },
    { name: 'css.watch', command: 'sass --watch', ...defaults },
  ]);
});

test('a Procfile with CRLF line endings parses the same', (t) => {
  const dir = project(t, { Procfile: 'web: serve\r\nworker: work\r\n' });
  assert.deepEqual(loadProjectConfig(dir).services.map((s) => [s.name, s.command]), [['web', 'serve'], ['worker', 'work']]);
});

test('bad Procfile lines are all reported with line and column', (t) => {
  const dir = project(t, {
    Procfile: lines('web: node server.js', 'release', 'bad name: x', 'web: again', 'empty:', '  :x'),
  });
  assert.deepEqual(issuesOf(dir), [
    'Procfile:2:1: expected "name: command"',
    'Procfile:3:1: invalid service name "bad name"; use at most 63 letters, digits, "_", "-" and "." (not first)',
    'Procfile:4:1: duplicate service name "web" (first defined on line 1)',
    'Procfile:5:7: expected a command after "empty:"',
    'Procfile:6:3: expected "name: command"',
  ]);
});

test('a duplicate Procfile name is refused at the second one', (t) => {
  const dir = project(t, { Procfile: lines('web: a', 'worker: b', '', 'web: c') });
  assert.deepEqual(issuesOf(dir), ['Procfile:4:1: duplicate service name "web" (first defined on line 1)']);
});

test('an empty Procfile has no services', (t) => {
  const dir = project(t, { Procfile: '# nothing yet\n' });
  assert.deepEqual(loadProjectConfig(dir), { file: path.join(dir, 'Procfile'), kind: 'procfile', services: [], daemon: {} });
});
