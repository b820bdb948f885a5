import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeSandbox } from '../helpers/sandbox.js';
import { startDaemon } from '../helpers/kit.js';
import { occupiedPort } from '../helpers/ports.js';

const HTTP_SERVER = fileURLToPath(new URL('../fixtures/services/http-server.mjs', import.meta.url));

// A window long enough for a loaded machine: the daemon ends it as soon as every service has ended.
const SETTLE = { TEND_START_SETTLE: '30' };

test('plain start says which services already exited (port clash, missing binary) with tend logs NAME as the next step, exit 0', async (t) => {
  const port = await occupiedPort(t);
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  web:
    command: ["${process.execPath}", "${HTTP_SERVER}"]
    env: { PORT: "${port}" }
  missing:
    command: no-such-command-tend-test
`,
  });
  const r = await box.cli(['start'], { env: SETTLE });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /started/);
  assert.match(r.stderr, /warning: service web exited with code 1; see 'tend logs web'/);
  assert.match(r.stderr, /warning: service missing exited with code 127 \(command not found\); see 'tend logs missing'/);
  assert.match(r.stdout, /services +2 exited \(web, missing\)/);
});

test('start --json carries the services that already exited, with their exit codes', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': 'services:\n  missing:\n    command: no-such-command-tend-test\n' });
  const out = await startDaemon(box, [], SETTLE);
  assert.deepEqual(
    out.services.map((s: { name: string; state: string; exitCode: number }) => [s.name, s.state, s.exitCode]),
    [['missing', 'exited', 127]],
  );
});

test('start with a running daemon says the config file changed since it was loaded and suggests reload, exit 0', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': 'services:\n  a:\n    command: sleep 600\n' });
  await startDaemon(box);
  const same = await box.cli(['start']);
  assert.equal(same.code, 0, same.stderr);
  assert.doesNotMatch(same.stderr, /changed/);
  box.write('tend.yaml', 'services:\n  a:\n    command: sleep 601\n');
  const changed = await box.cli(['start']);
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stdout, /already running/);
  assert.match(changed.stderr, /warning: tend\.yaml changed since the daemon loaded it; run 'tend reload' to apply it/);
  const reload = await box.cli(['reload']);
  assert.equal(reload.code, 0, reload.stderr);
  const after = await box.cli(['start']);
  assert.doesNotMatch(after.stderr, /changed/);
});

test('start with a running daemon started without config says when a tend.yaml appeared', async (t) => {
  const box = makeSandbox(t);
  await startDaemon(box);
  box.write('tend.yaml', 'services:\n  a:\n    command: sleep 600\n');
  const r = await box.cli(['start']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /tend\.yaml was created since the daemon started.*run 'tend reload'/);
});

test('start in a project with no config warns that none was found, then runs the daemon with no services', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['start']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`warning: no tend.yaml or Procfile found in ${box.projectDir} or above`), r.stderr);
  assert.match(r.stdout, /services +none configured/);
  const status = await box.cli(['status']);
  assert.equal(status.code, 0);
});
