import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadProjectConfig, parseProcfile } from '../../../src/services/config/index.js';
import { issuesOf, lines, project } from './project.js';

test('a Procfile gives one shell-command service per line, in the project dir, with defaults', (t) => {
  const dir = project(t, {
    Procfile: lines('# dev processes', 'web: node server.js', '', 'worker:   node worker.js --queue=a:b  ', '  # indented comment', 'css_watch: sass --watch', '-lint: eslint .', '_db:redis-server'),
  });
  const config = loadProjectConfig(dir, { env: {} });
  assert.equal(config.kind, 'procfile');
  assert.equal(config.file, path.join(dir, 'Procfile'));
  assert.deepEqual(config.daemon, {});
  assert.equal(config.warnings, undefined);
  const defaults = { cwd: dir, dependsOn: {}, ready: null, restart: 'no', stopSignal: 'SIGTERM', stopTimeoutMs: 10_000, autostart: true, watch: null, live: null, restartTuning: null };
  // foreman's PORT numbers (no registry here, so the numbers themselves) and PS.
  const port = (name: string, n: number) => ({ port: n, env: { PORT: String(n), PS: `${name}.1` } });
  assert.deepEqual(config.services, [
    { name: 'web', command: 'node server.js', ...defaults, ...port('web', 5000) },
    { name: 'worker', command: 'node worker.js --queue=a:b', ...defaults, ...port('worker', 5100) },
    { name: 'css_watch', command: 'sass --watch', ...defaults, ...port('css_watch', 5200) },
    { name: '-lint', command: 'eslint .', ...defaults, ...port('-lint', 5300) },
    { name: '_db', command: 'redis-server', ...defaults, ...port('_db', 5400) },
  ]);
});

test('a Procfile with CRLF line endings or a UTF-8 BOM parses the same', (t) => {
  const dir = project(t, { Procfile: '\uFEFFweb: serve\r\nworker: work\r\n' });
  const config = loadProjectConfig(dir);
  assert.deepEqual(config.services.map((s) => [s.name, s.command]), [['web', 'serve'], ['worker', 'work']]);
  assert.equal(config.warnings, undefined);
  assert.deepEqual(parseProcfile('\uFEFFweb: serve\n', path.join(dir, 'Procfile'), dir).services.map((s) => s.name), ['web']);
});

test('Procfile lines foreman would not run are skipped with a warning naming each, not refused', (t) => {
  const dir = project(t, {
    Procfile: lines('web: node server.js', 'release', 'bad name: x', 'web.1: again', 'empty:', 'blank:   ', '  indented: x', ':x', 'worker: w'),
  });
  const config = loadProjectConfig(dir);
  assert.deepEqual(config.services.map((s) => s.name), ['web', 'worker']);
  assert.deepEqual(config.warnings, [
    'Procfile:2: skipped "release": not a "name: command" line',
    'Procfile:3: skipped "bad name: x": a process name has only letters, digits, "_" and "-"',
    'Procfile:4: skipped "web.1: again": a process name has only letters, digits, "_" and "-"',
    'Procfile:5: skipped "empty:": no command after the name',
    'Procfile:6: skipped "blank:": no command after the name',
    'Procfile:7: skipped "  indented: x": a process line starts at the first column',
    'Procfile:8: skipped ":x": a process name has only letters, digits, "_" and "-"',
  ]);
});

test('a duplicate Procfile name is refused at the second one', (t) => {
  const dir = project(t, { Procfile: lines('web: a', 'worker: b', '', 'web: c') });
  assert.deepEqual(issuesOf(dir), ['Procfile:4:1: duplicate process name "web" (first defined on line 1)']);
});

test('an empty Procfile has no services', (t) => {
  const dir = project(t, { Procfile: '# nothing yet\n' });
  assert.deepEqual(loadProjectConfig(dir), { file: path.join(dir, 'Procfile'), kind: 'procfile', services: [], daemon: {} });
});
