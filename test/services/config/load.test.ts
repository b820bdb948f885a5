import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { CONFIG_FILE_NAMES, findConfigFile, loadProjectConfig } from '../../../src/services/config/index.js';
import type { ServiceConfig } from '../../../src/services/types.js';
import { lines, project } from './project.js';

const CONTRACT_EXAMPLE = lines(
  'services:',
  '  db:',
  '    command: redis-server --port 6390      # a string runs under /bin/sh -c',
  '    ready: { tcp: 6390 }',
  '  web:',
  '    command: node server.js',
  '    cwd: ./web',
  '    env: { PORT: "4100" }',
  '    env_file: .env',
  '    depends_on: [db]',
  '    ready:',
  '      http: http://127.0.0.1:4100/health',
  '      interval: 1s',
  '      timeout: 2s',
  '      retries: 30',
  '    restart: on-failure',
  '    stop_signal: SIGTERM',
  '    stop_timeout: 10s',
  'daemon:',
  '  port: 0',
);

const TIMING = { intervalMs: 1000, timeoutMs: 2000, retries: 30, initialDelayMs: 0 };

test('the CONTRACT example resolves to services with defaults, absolute cwd and merged env', (t) => {
  const dir = project(t, { 'tend.yaml': CONTRACT_EXAMPLE, 'web/': '', '.env': 'PORT=1\nFROM_FILE="yes"\n' });
  const config = loadProjectConfig(dir);
  const db: ServiceConfig = {
    name: 'db',
    command: 'redis-server --port 6390',
    cwd: dir,
    // The project's .env reaches every service.
    env: { PORT: '1', FROM_FILE: 'yes' },
    dependsOn: {},
    ready: { kind: 'tcp', host: '127.0.0.1', port: 6390, ...TIMING },
    restart: 'no',
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    watch: null,
    live: null,
    restartTuning: null,
    port: null,
    autostart: true,
  };
  const web: ServiceConfig = {
    name: 'web',
    command: 'node server.js',
    cwd: path.join(dir, 'web'),
    env: { PORT: '4100', FROM_FILE: 'yes' },
    dependsOn: { db: 'started' },
    ready: { kind: 'http', url: 'http://127.0.0.1:4100/health', ...TIMING },
    restart: 'on-failure',
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    watch: null,
    live: null,
    restartTuning: null,
    port: null,
    autostart: true,
  };
  assert.deepEqual(config, { file: path.join(dir, 'tend.yaml'), kind: 'yaml', services: [db, web], daemon: { port: 0 } });
});

test('every probe kind, dependency form, duration and signal spelling resolves', (t) => {
  const dir = project(t, {
    'tend.yaml': lines(
      'services:',
      '  zeta:',
      '    command: [sleep, "60"]',
      '    ready: { log: "listening on \\\\d+", interval: 500ms, timeout: 1.5s, retries: 0, initial_delay: 1m30s }',
      '    restart: always',
      '    stop_signal: int',
      '    stop_timeout: 2',
      '  "42":',
      '    command: ./worker',
      '    ready: { command: [test, -f, ready.flag] }',
      '    depends_on: { zeta: { condition: ready }, alpha: {} }',
      '    env: { N: 3, ON: true, S: text }',
      '  alpha:',
      '    command: ./alpha',
      '    ready: { tcp: "db.local:5432" }',
      '    depends_on: { zeta: { condition: completed } }',
      '    restart: no',
      '  beta:',
      '    command: ./beta',
      '    ready: { tcp: "[::1]:8080", interval: 0.25 }',
      '    restart: false',
    ),
  });
  const { services } = loadProjectConfig(dir);
  assert.deepEqual(services.map((s) => s.name), ['zeta', '42', 'alpha', 'beta'], 'file order, even for an integer-like name');
  const byName = Object.fromEntries(services.map((s) => [s.name, s]));
  const zeta = byName['zeta']!;
  assert.deepEqual(zeta.command, ['sleep', '60']);
  assert.deepEqual(zeta.ready, { kind: 'log', pattern: 'listening on \\d+', intervalMs: 500, timeoutMs: 1500, retries: 0, initialDelayMs: 90_000 });
  assert.equal(zeta.restart, 'always');
  assert.equal(zeta.stopSignal, 'SIGINT');
  assert.equal(zeta.stopTimeoutMs, 2000);
  const worker = byName['42']!;
  assert.deepEqual(worker.ready, { kind: 'command', command: ['test', '-f', 'ready.flag'], ...TIMING });
  assert.deepEqual(worker.dependsOn, { zeta: 'ready', alpha: 'started' });
  assert.deepEqual(worker.env, { N: '3', ON: 'true', S: 'text' });
  assert.deepEqual(byName['alpha']!.ready, { kind: 'tcp', host: 'db.local', port: 5432, ...TIMING });
  assert.deepEqual(byName['alpha']!.dependsOn, { zeta: 'completed' });
  assert.equal(byName['alpha']!.restart, 'no', 'a bare `no` is the string "no" in YAML 1.2');
  assert.deepEqual(byName['beta']!.ready, { kind: 'tcp', host: '::1', port: 8080, ...TIMING, intervalMs: 250 });
  assert.equal(byName['beta']!.restart, 'no', 'boolean false means no');
});

test('env_file values come first and env overrides them; a list of env files merges in order', (t) => {
  const dir = project(t, {
    'tend.yaml': lines('services:', '  app:', '    command: x', '    env_file: [base.env, local.env]', '    env: { B: from-env }'),
    'base.env': 'A=base\nB=base\nC=base\n',
    'local.env': '# comment\nC=local\n',
  });
  assert.deepEqual(loadProjectConfig(dir).services[0]!.env, { A: 'base', B: 'from-env', C: 'local' });
});

test('a YAML 1.1 file, where a bare no is false, still means restart no', (t) => {
  const dir = project(t, { 'tend.yaml': lines('%YAML 1.1', '---', 'services:', '  app:', '    command: x', '    restart: no') });
  assert.equal(loadProjectConfig(dir).services[0]!.restart, 'no');
});

test('an empty tend.yaml, or one with an empty services key, has no services', (t) => {
  assert.deepEqual(loadProjectConfig(project(t, { 'tend.yaml': '' })).services, []);
  const dir = project(t, { 'tend.yml': lines('services:', 'daemon: { host: 127.0.0.1, port: 4000 }') });
  const config = loadProjectConfig(dir);
  assert.deepEqual(config.services, []);
  assert.deepEqual(config.daemon, { host: '127.0.0.1', port: 4000 });
  assert.equal(config.file, path.join(dir, 'tend.yml'));
});

test('tend.yaml is preferred over tend.yml, and both over a Procfile', (t) => {
  const dir = project(t, {
    'tend.yaml': lines('services:', '  from-yaml: { command: a }'),
    'tend.yml': lines('services:', '  from-yml: { command: b }'),
    Procfile: 'from-procfile: c\n',
  });
  assert.deepEqual(CONFIG_FILE_NAMES, ['tend.yaml', 'tend.yml', 'Procfile']);
  assert.deepEqual(findConfigFile(dir), { file: path.join(dir, 'tend.yaml'), kind: 'yaml' });
  assert.deepEqual(loadProjectConfig(dir).services.map((s) => s.name), ['from-yaml']);
  const ymlOnly = project(t, { 'tend.yml': lines('services:', '  from-yml: { command: b }'), Procfile: 'p: c\n' });
  assert.deepEqual(loadProjectConfig(ymlOnly).services.map((s) => s.name), ['from-yml']);
});

test('a project without a configuration file is a valid project with no services', (t) => {
  const dir = project(t, { 'sub/tend.yaml': lines('services:', '  nested: { command: x }') });
  assert.equal(findConfigFile(dir), null);
  assert.deepEqual(loadProjectConfig(dir), { file: null, kind: 'none', services: [], daemon: {} });
});

test('a directory named tend.yaml is not a configuration file', (t) => {
  const dir = project(t, { 'tend.yaml/': '', Procfile: 'web: serve\n' });
  assert.deepEqual(findConfigFile(dir), { file: path.join(dir, 'Procfile'), kind: 'procfile' });
});
