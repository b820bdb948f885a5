import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, formatConfigIssue, loadProjectConfig, type LoadOptions } from '../../../src/services/config/index.js';
import { interpolate } from '../../../src/services/config/interpolate.js';
import type { PortAssigner } from '../../../src/services/types.js';
import { lines, project, yamlProject } from './project.js';

const vars: Record<string, string> = { SET: 'value', EMPTY: '' };
const lookup = (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const value = (text: string) => {
  const r = interpolate(text, lookup);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.problem.message}`);
  return r.value;
};

test('compose interpolation: defaults, required, alternates, nesting, $${ and bare $ left alone', () => {
  assert.equal(value('a ${SET} b'), 'a value b');
  assert.equal(value('${UNSET:-d}|${EMPTY:-d}|${SET:-d}'), 'd|d|value');
  assert.equal(value('${UNSET-d}|${EMPTY-d}|${SET-d}'), 'd||value');
  assert.equal(value('${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}'), 'alt||alt|');
  assert.equal(value('${UNSET:-${SET}-x}'), 'value-x');
  assert.equal(value('$${SET} and $${UNSET}'), '${SET} and ${UNSET}');
  assert.equal(value('echo $SET $$ $1 "$@" $'), 'echo $SET $$ $1 "$@" $');
  assert.equal(value('${SET:?must be set}'), 'value');
});

test('an unset name without default, ${X:?msg}, and bad syntax are problems at the offset of their ${', () => {
  const problem = (text: string) => {
    const r = interpolate(text, lookup);
    assert.ok(!r.ok, text);
    return r.problem;
  };
  assert.deepEqual(problem('ab ${NOPE}'), { offset: 3, message: 'variable NOPE is not set; set it in the environment or .env, or give a default: ${NOPE:-value}' });
  assert.deepEqual(problem('${EMPTY:?needs a value}'), { offset: 0, message: 'EMPTY: needs a value' });
  assert.match(problem('x ${UNCLOSED').message, /unclosed/);
  assert.match(problem('${1BAD}').message, /invalid variable name/);
  assert.match(problem('${SET#x}').message, /invalid interpolation/);
});

const fixed: PortAssigner = (requests) => new Map(requests.map((r, i) => [r.service, r.kind === 'auto' ? 20000 + i : r.port]));
const load = (dir: string, options: LoadOptions = {}) => loadProjectConfig(dir, { env: {}, ports: fixed, ...options });
const issues = (dir: string, options: LoadOptions = {}) => {
  try {
    load(dir, options);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map(formatConfigIssue);
  }
  return assert.fail('expected a ConfigError');
};

test('an unset variable is a configuration error with file:line:col pointing at its ${', (t) => {
  const dir = project(t, {
    'tend.yaml': lines('services:', '  web:', '    command: node server.js --db ${DB_URL}', '    env:', '      TOKEN: "x-${SECRET:?set SECRET in .env}"'),
  });
  assert.deepEqual(issues(dir), [
    'tend.yaml:3:34: services.web.command: variable DB_URL is not set; set it in the environment or .env, or give a default: ${DB_URL:-value}',
    'tend.yaml:5:17: services.web.env.TOKEN: SECRET: set SECRET in .env',
  ]);
});

test('every string is interpolated: command, cwd, env, env_file, ready probes, lists', (t) => {
  const dir = yamlProject(
    t,
    [
      'services:',
      '  web:',
      '    port: auto',
      '    command: ["node", "${APP}", "--port=${PORT}"]',
      '    cwd: ./${SUBDIR}',
      '    env_file: ${ENV_FILE}',
      '    env: { URL: "http://127.0.0.1:${PORT}/", COPY: "${FROM_FILE}" }',
      '    ready: { http: "http://127.0.0.1:${PORT}/health" }',
      '  db:',
      '    port: 6390',
      '    command: redis-server --port ${PORT}',
      '    ready: { tcp: "${ports.db}" }',
    ],
    { 'sub/': '', 'vars.env': 'FROM_FILE=file\n' },
  );
  const config = load(dir, { env: { APP: 'app.js', SUBDIR: 'sub', ENV_FILE: 'vars.env' } });
  const [web, db] = config.services;
  assert.deepEqual(web!.command, ['node', 'app.js', '--port=20000']);
  assert.equal(web!.cwd, path.join(dir, 'sub'));
  assert.equal(web!.env.URL, 'http://127.0.0.1:20000/');
  assert.equal(web!.env.COPY, 'file');
  assert.equal(web!.env.PORT, '20000');
  assert.equal(web!.port, 20000);
  assert.deepEqual(web!.ready && web!.ready.kind === 'http' && web!.ready.url, 'http://127.0.0.1:20000/health');
  assert.equal(db!.command, 'redis-server --port 6390');
  assert.deepEqual(db!.ready && db!.ready.kind === 'tcp' && db!.ready.port, 6390);
});

test('lookup order: the service PORT, its env, its env_file, the project .env, then tend\'s environment', (t) => {
  const dir = yamlProject(
    t,
    [
      'services:',
      '  web:',
      '    port: 8080',
      '    env_file: f.env',
      '    env: { A: own, PORT: "9999" }',
      '    command: echo ${PORT} ${A} ${B} ${D} ${E} ${ports.web}',
    ],
    { '.env': 'A=dotenv\nB=dotenv\nC=dotenv\nD=dotenv\n', 'f.env': 'A=file\nB=file\nC=file\n' },
  );
  const [web] = load(dir, { env: { A: 'tend', B: 'tend', D: 'tend', E: 'tend', PORT: '1' } }).services;
  assert.equal(web!.command, 'echo 8080 own file dotenv tend 8080');
  // .env is in every service's env, below env_file and env; `port:` sets PORT last.
  assert.deepEqual({ A: web!.env.A, B: web!.env.B, C: web!.env.C, D: web!.env.D, PORT: web!.env.PORT }, { A: 'own', B: 'file', C: 'file', D: 'dotenv', PORT: '8080' });
});

test('${ports.NAME} of a service without a port, and a bad port: value, are errors where they are written', (t) => {
  const dir = project(t, {
    'tend.yaml': lines('services:', '  web:', '    command: echo ${ports.db}', '  db:', '    command: x', '    port: sometimes'),
  });
  assert.deepEqual(issues(dir), [
    'tend.yaml:3:19: services.web.command: ${ports.db}: service "db" has no port (give it `port: auto` or a number)',
    'tend.yaml:6:11: services.db.port: expected auto or a port number from 1 to 65535, got "sometimes"',
  ]);
});

test('port: may itself come from the environment', (t) => {
  const dir = project(t, { 'tend.yaml': lines('services:', '  web:', '    command: x', '    port: ${WEB_PORT:-auto}') });
  assert.equal(load(dir, { env: { WEB_PORT: '4321' } }).services[0]!.port, 4321);
  assert.equal(load(dir).services[0]!.port, 20000);
});

test('a Procfile gets foreman PORTs (5000, 5100… or from $PORT), PS=name.1 and .env', (t) => {
  const dir = project(t, { Procfile: 'web: serve\nworker: work\n', '.env': 'FROM=dotenv\n' });
  const requests: unknown[] = [];
  const ports: PortAssigner = (asked) => (requests.push(...asked), new Map(asked.map((r) => [r.service, (r as { port: number }).port])));
  const services = loadProjectConfig(dir, { env: {}, ports }).services;
  assert.deepEqual(services.map((s) => [s.name, s.port, s.env.PORT, s.env.PS, s.env.FROM]), [
    ['web', 5000, '5000', 'web.1', 'dotenv'],
    ['worker', 5100, '5100', 'worker.1', 'dotenv'],
  ]);
  assert.deepEqual(requests, [
    { service: 'web', kind: 'preferred', port: 5000 },
    { service: 'worker', kind: 'preferred', port: 5100 },
  ]);
  const based = loadProjectConfig(dir, { env: { PORT: '7000' }, ports }).services;
  assert.deepEqual(based.map((s) => s.port), [7000, 7100]);
});

test('autostart and profiles decide which services a bare start runs', (t) => {
  const dir = yamlProject(t, [
    'services:',
    '  web: { command: x }',
    '  task: { command: x, autostart: false }',
    '  debug: { command: x, profiles: [debug] }',
    '  both: { command: x, profiles: [debug, extra] }',
  ]);
  const auto = (profiles: string[]) => load(dir, { profiles }).services.filter((s) => s.autostart).map((s) => s.name);
  assert.deepEqual(auto([]), ['web']);
  assert.deepEqual(auto(['debug']), ['web', 'debug', 'both']);
  assert.deepEqual(auto(['extra']), ['web', 'both']);
});

test('--file: a .yaml/.yml file is tend.yaml syntax, any other name a Procfile', (t) => {
  const dir = project(t, { 'Procfile.dev': 'web: serve\n', 'other.yml': lines('services:', '  api: { command: x }') });
  assert.deepEqual(load(dir, { file: path.join(dir, 'Procfile.dev') }).services.map((s) => [s.name, s.command]), [['web', 'serve']]);
  const yml = load(dir, { file: path.join(dir, 'other.yml') });
  assert.equal(yml.kind, 'yaml');
  assert.deepEqual(yml.services.map((s) => s.name), ['api']);
});
