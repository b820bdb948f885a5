import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadProjectConfig } from '../../../src/services/config/index.js';
import { lines, project, yamlIssues } from './project.js';

const SERVICE_KEYS = 'command, cwd, env, env_file, depends_on, ready, restart, stop_signal, stop_timeout, watch, live, port, autostart, profiles';

test('a YAML syntax error is reported with its line and column, and nothing is validated', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: a: b', '    unknown_key: 1']);
  assert.deepEqual(issues, ['tend.yaml:3:14: YAML syntax error: Nested mappings are not allowed in compact mappings']);
});

test('an unclosed flow list is reported where the parser gives up on it', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: [a, b', '  worker: {}']);
  assert.deepEqual(issues, [
    'tend.yaml:4:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
});

test('a duplicate key is refused at the second occurrence, naming the line of the first', (t) => {
  const issues = yamlIssues(t, ['services:', '  web: { command: a }', '  web: { command: b }']);
  assert.deepEqual(issues, ['tend.yaml:3:3: duplicate key "web" (first on line 2)']);
});

test('an unknown top-level key is refused at the key, listing the allowed ones', (t) => {
  const issues = yamlIssues(t, ['services:', '  web: { command: x }', 'deamon: { port: 1 }']);
  assert.deepEqual(issues, ['tend.yaml:3:1: deamon: unknown key; expected one of services, daemon']);
});

test('an unknown service key is refused at the key', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: x', '    restrat: always']);
  assert.deepEqual(issues, [`tend.yaml:4:5: services.web.restrat: unknown key; expected one of ${SERVICE_KEYS}`]);
});

test('an unknown key inside ready and depends_on is refused too', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  db: { command: x }',
    '  web:',
    '    command: x',
    '    ready: { tcp: 1, retry: 3 }',
    '    depends_on: { db: { when: ready } }',
  ]);
  assert.deepEqual(issues, [
    'tend.yaml:5:22: services.web.ready.retry: unknown key; expected one of http, tcp, log, command, interval, timeout, retries, initial_delay',
    'tend.yaml:6:25: services.web.depends_on.db.when: unknown key; expected one of condition',
  ]);
});

test('a value of the wrong type names what was expected and what was found', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  web:',
    '    command: x',
    '    env: [A=1]',
    '  worker:',
    '    command: { run: x }',
    '    ready: { tcp: 80, retries: many }',
    'daemon: { port: "80" }',
  ]);
  assert.deepEqual(issues, [
    'tend.yaml:4:10: services.web.env: expected a mapping, got a list',
    'tend.yaml:6:14: services.worker.command: expected a command string or a list of strings, got a mapping',
    'tend.yaml:7:32: services.worker.ready.retries: expected a number, got "many"',
    'tend.yaml:8:17: daemon.port: expected a number, got "80"',
  ]);
});

test('services must be a mapping and the file must be one', (t) => {
  assert.deepEqual(yamlIssues(t, ['services:', '  - web']), ['tend.yaml:2:3: services: expected a mapping, got a list']);
  assert.deepEqual(yamlIssues(t, ['- services']), ['tend.yaml:1:1: expected a mapping, got a list']);
});

test('a bad restart value lists the allowed ones', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: x', '    restart: sometimes']);
  assert.deepEqual(issues, [
    'tend.yaml:4:14: services.web.restart: expected one of "no", "on-failure", "always", got "sometimes"',
  ]);
});

test('a bad duration is refused with an example of a good one', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  web:',
    '    command: x',
    '    stop_timeout: 10 seconds',
    '    ready: { tcp: 80, interval: -1, timeout: 0s }',
  ]);
  assert.deepEqual(issues, [
    'tend.yaml:4:19: services.web.stop_timeout: expected a duration such as 500ms, 2s or 1m, got "10 seconds"',
    'tend.yaml:5:33: services.web.ready.interval: expected a duration such as 500ms, 2s or 1m, got -1',
    'tend.yaml:5:46: services.web.ready.timeout: expected a duration greater than 0',
  ]);
});

test('an unknown signal is refused', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: x', '    stop_signal: SIGBOGUS']);
  assert.deepEqual(issues, [
    'tend.yaml:4:18: services.web.stop_signal: expected a signal name such as SIGTERM, SIGINT or SIGKILL, got "SIGBOGUS"',
  ]);
});

test('an unknown dependency is reported at that dependency, naming the known services', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  db: { command: x }',
    '  web:',
    '    command: y',
    '    depends_on: [db, cache]',
    '  worker:',
    '    command: z',
    '    depends_on:',
    '      queue: { condition: ready }',
  ]);
  assert.deepEqual(issues, [
    'tend.yaml:5:22: services.web.depends_on[1]: unknown service "cache"; known services: db, worker',
    'tend.yaml:9:7: services.worker.depends_on.queue: unknown service "queue"; known services: db, web',
  ]);
});

test('a dependency on a service that is itself invalid is not called unknown', (t) => {
  const issues = yamlIssues(t, ['services:', '  db: { command: x, restart: maybe }', '  web: { command: y, depends_on: [db] }']);
  assert.deepEqual(issues, ['tend.yaml:2:30: services.db.restart: expected one of "no", "on-failure", "always", got "maybe"']);
});

test('a dependency cycle is named once, at the depends_on of its first member', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  a: { command: x, depends_on: [c] }',
    '  b: { command: x, depends_on: [a] }',
    '  c:',
    '    command: x',
    '    depends_on: { b: { condition: ready } }',
  ]);
  assert.deepEqual(issues, ['tend.yaml:2:32: services.a.depends_on: dependency cycle: a -> c -> b -> a']);
});

test('a service that depends on itself is refused at that entry', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: x', '    depends_on: [web]']);
  assert.deepEqual(issues, ['tend.yaml:4:18: services.web.depends_on[0]: a service cannot depend on itself']);
});

test('a log probe whose regex does not compile is refused', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: x', '    ready: { log: "([a-z" }']);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /^tend\.yaml:4:19: services\.web\.ready\.log: expected a valid regular expression, got \/\(\[a-z\/: Unterminated character class$/);
});

test('a missing env_file is refused at that key', (t) => {
  const dir = project(t, { 'tend.yaml': lines('services:', '  web:', '    command: x', '    env_file: .env.local') });
  assert.deepEqual(issuesOfDir(dir), [
    `tend.yaml:4:15: services.web.env_file: env file ".env.local" does not exist (${path.join(dir, '.env.local')})`,
  ]);
});

test('a cwd that is missing or not a directory is refused at that key', (t) => {
  const dir = project(t, {
    'tend.yaml': lines('services:', '  web:', '    command: x', '    cwd: ./frontend', '  api:', '    command: x', '    cwd: tend.yaml'),
  });
  assert.deepEqual(issuesOfDir(dir), [
    `tend.yaml:4:10: services.web.cwd: directory "./frontend" does not exist (${path.join(dir, 'frontend')})`,
    `tend.yaml:7:10: services.api.cwd: "tend.yaml" is not a directory (${path.join(dir, 'tend.yaml')})`,
  ]);
});

test('two probe kinds at once are refused at the second', (t) => {
  const issues = yamlIssues(t, ['services:', '  web:', '    command: x', '    ready:', '      http: http://localhost:3000/', '      tcp: 3000']);
  assert.deepEqual(issues, [
    'tend.yaml:6:12: services.web.ready.tcp: expected exactly one probe kind (http, tcp, log or command), got http and tcp',
  ]);
});

test('a probe needs a kind, a valid URL and a valid port', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  a: { command: x, ready: { interval: 1s } }',
    '  b: { command: x, ready: { http: "localhost:3000" } }',
    '  c: { command: x, ready: { tcp: "db:99999" } }',
  ]);
  assert.deepEqual(issues, [
    'tend.yaml:2:27: services.a.ready: expected exactly one probe kind (http, tcp, log or command), got none',
    'tend.yaml:3:35: services.b.ready.http: expected an http:// or https:// URL, got "localhost:3000"',
    'tend.yaml:4:34: services.c.ready.tcp: expected a port number or "host:port", got "db:99999"',
  ]);
});

test('an empty or missing command is refused', (t) => {
  const issues = yamlIssues(t, [
    'services:',
    '  a:',
    '    command: ""',
    '  b:',
    '    command: []',
    '  c:',
    '    command:',
    '  d:',
    '    restart: always',
    '  e:',
    '    command: ["", run]',
  ]);
  assert.deepEqual(issues, [
    'tend.yaml:3:14: services.a.command: expected a non-empty command',
    'tend.yaml:5:14: services.b.command: expected a non-empty list',
    'tend.yaml:7:5: services.c.command: expected a command string or a list of strings, got an empty value',
    'tend.yaml:8:3: services.d.command: required key is missing',
    'tend.yaml:11:15: services.e.command[0]: expected a program name, got an empty string',
  ]);
});

test('a bad service name is refused at the name', (t) => {
  const issues = yamlIssues(t, ['services:', '  "web server": { command: x }', '  .x: { command: y }']);
  const hint = 'use at most 63 letters, digits, "_", "-" and "." (not first)';
  assert.deepEqual(issues, [
    `tend.yaml:2:3: services["web server"]: invalid service name "web server"; ${hint}`,
    `tend.yaml:3:3: services[".x"]: invalid service name ".x"; ${hint}`,
  ]);
});

test('every problem in the file is reported at once, in file order, in one message', (t) => {
  const dir = project(t, {
    'tend.yaml': lines(
      'services:',
      '  web:',
      '    command: node server.js',
      '    restart: sometimes',
      '    depends_on: [db]',
      '  worker:',
      '    command: x',
      '    stop_signal: NOPE',
      '    colour: blue',
      'extra: 1',
    ),
  });
  const err = catchConfigError(dir);
  assert.equal(err.file, path.join(dir, 'tend.yaml'));
  assert.deepEqual(
    err.issues.map((i) => [i.file, i.line, i.column, i.path]),
    [
      ['tend.yaml', 4, 14, 'services.web.restart'],
      ['tend.yaml', 5, 18, 'services.web.depends_on[0]'],
      ['tend.yaml', 8, 18, 'services.worker.stop_signal'],
      ['tend.yaml', 9, 5, 'services.worker.colour'],
      ['tend.yaml', 10, 1, 'extra'],
    ],
  );
  assert.equal(
    err.message,
    [
      'invalid configuration in tend.yaml (5 problems):',
      'tend.yaml:4:14: services.web.restart: expected one of "no", "on-failure", "always", got "sometimes"',
      'tend.yaml:5:18: services.web.depends_on[0]: unknown service "db"; known services: worker',
      'tend.yaml:8:18: services.worker.stop_signal: expected a signal name such as SIGTERM, SIGINT or SIGKILL, got "NOPE"',
      `tend.yaml:9:5: services.worker.colour: unknown key; expected one of ${SERVICE_KEYS}`,
      'tend.yaml:10:1: extra: unknown key; expected one of services, daemon',
    ].join('\n'),
  );
});

function catchConfigError(dir: string): ConfigError {
  try {
    loadProjectConfig(dir);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  return assert.fail('expected a ConfigError');
}

function issuesOfDir(dir: string): string[] {
  return catchConfigError(dir).issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`);
}
