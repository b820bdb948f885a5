import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffConfigs, loadProjectConfig } from '../../../src/services/config/index.js';
import type { ProjectConfig, ServiceConfig } from '../../../src/services/types.js';
import { lines, project } from './project.js';

function service(name: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name,
    command: `run ${name}`,
    cwd: '/p',
    env: {},
    dependsOn: {},
    ready: null,
    restart: 'no',
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    ...overrides,
  };
}

function config(...services: ServiceConfig[]): ProjectConfig {
  return { file: '/p/tend.yaml', kind: 'yaml', services, daemon: {} };
}

test('diffConfigs sorts services into added, removed, changed and unchanged', () => {
  const before = config(service('db'), service('web', { env: { A: '1' } }), service('old'));
  const after = config(service('web', { env: { A: '2' } }), service('new'), service('db'));
  assert.deepEqual(diffConfigs(before, after), { added: ['new'], removed: ['old'], changed: ['web'], unchanged: ['db'] });
});

test('a change deep inside a service (probe timing, a dependency condition, argv) counts as changed', () => {
  const probe = { kind: 'tcp', host: '127.0.0.1', port: 1, intervalMs: 1000, timeoutMs: 2000, retries: 30, initialDelayMs: 0 } as const;
  const before = config(
    service('a', { ready: probe }),
    service('b', { dependsOn: { a: 'started' } }),
    service('c', { command: ['x', '1'] }),
    service('d', { command: ['x', '1'] }),
  );
  const after = config(
    service('a', { ready: { ...probe, retries: 31 } }),
    service('b', { dependsOn: { a: 'ready' } }),
    service('c', { command: ['x', '2'] }),
    service('d', { command: ['x', '1'] }),
  );
  assert.deepEqual(diffConfigs(before, after), { added: [], removed: [], changed: ['a', 'b', 'c'], unchanged: ['d'] });
});

test('the same file loaded twice leaves every service unchanged', (t) => {
  const dir = project(t, { 'tend.yaml': lines('services:', '  db: { command: x, ready: { tcp: 5432 } }', '  web: { command: y, depends_on: [db] }') });
  const result = diffConfigs(loadProjectConfig(dir), loadProjectConfig(dir));
  assert.deepEqual(result, { added: [], removed: [], changed: [], unchanged: ['db', 'web'] });
});

test('from no configuration to some, everything is added; and back, everything is removed', () => {
  const none: ProjectConfig = { file: null, kind: 'none', services: [], daemon: {} };
  const some = config(service('a'), service('b'));
  assert.deepEqual(diffConfigs(none, some), { added: ['a', 'b'], removed: [], changed: [], unchanged: [] });
  assert.deepEqual(diffConfigs(some, none), { added: [], removed: ['a', 'b'], changed: [], unchanged: [] });
});
