import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';
import { psService, psServices } from '../helpers/ps.js';
import { isGone } from '../helpers/proc.js';


const IDLE = `node -e "setInterval(() => {}, 1000)"`;

const list = psServices;
const service = psService;

test('failing live probes restart the service (stop signal, then start) and ps says unhealthy', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  app:
    command: ${IDLE}
    restart: { policy: always, backoff: 50ms, max_backoff: 100ms }
    live: { command: "test -f healthy", interval: 50ms, failures: 2 }
`,
  });
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  const first = await service(box, 'app');
  const restarted = await until('an unhealthy restart', async () => {
    const s = await service(box, 'app');
    return s.restarts >= 1 && s.pid !== null && s.pid !== first.pid ? s : null;
  });
  assert.match(restarted.reason ?? '', /^unhealthy: command test -f healthy: probe command exited with code 1/);
  const ps = await box.cli(['ps']);
  assert.match(ps.stdout, /app: unhealthy: /);
  assert.ok(isGone(first.pid!), 'the unhealthy process was stopped');
  // Healthy again: no more restarts (the count it has when the probe passes stays).
  box.write('healthy', '');
  const settled = await until('the service to run healthy', async () => {
    const s = await service(box, 'app');
    return s.state === 'running' && s.ready && !(s.reason ?? '').includes('failures in a row') ? s : null;
  });
  assert.equal(settled.state, 'running');
});

test('unhealthy restarts count for the backoff: max_restarts ends the service failed', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  app:
    command: ${IDLE}
    restart: { policy: always, max_restarts: 2, backoff: 10ms }
    live: { command: "exit 1", interval: 20ms, failures: 1 }
`,
  });
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  const failed = await until('the service to give up', async () => {
    const s = await service(box, 'app');
    return s.state === 'failed' ? s : null;
  });
  assert.equal(failed.restarts, 2);
  assert.match(failed.reason ?? '', /^unhealthy: command exit 1: probe command exited with code 1; gave up after 3 runs in a row/);
});

test('a live probe never runs before the service is ready', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  app:
    command: ${IDLE}
    ready: { command: "echo try >> ready.log; test -f go", interval: 30ms, retries: 1000 }
    live: { command: "if test -f go; then echo after; else echo before; fi >> live.log", interval: 30ms }
`,
  });
  const r = await box.cli(['start']);
  assert.equal(r.code, 0, r.stderr);
  // The readiness probe has tried several times: a live probe started early would have run by now.
  await until('a few readiness attempts', () => existsSync(join(box.projectDir, 'ready.log')) && readFileSync(join(box.projectDir, 'ready.log'), 'utf8').split('\n').length > 5);
  assert.equal((await service(box, 'app')).ready, false);
  box.write('go', '');
  await until('the live probe to run', () => existsSync(join(box.projectDir, 'live.log')) && readFileSync(join(box.projectDir, 'live.log'), 'utf8').split('\n').length > 3);
  assert.deepEqual([...new Set(readFileSync(join(box.projectDir, 'live.log'), 'utf8').trim().split('\n'))], ['after']);
});

test('restart: as a map is validated with line and column', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  app:
    command: ${IDLE}
    restart: { policy: sometimes, max_restarts: -1, backoff: fast }
  web:
    command: ${IDLE}
    restart:
      policy: always
      max_backoff: 1s
      backoff: 2s
      colour: red
    watch: { paths: [src], debounce: soon, signal: NOPE }
    live: { http: "http://127.0.0.1:1/", failures: 0 }
`,
  });
  const r = await box.cli(['start']);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n').filter((l) => l.includes('tend.yaml:'));
  assert.deepEqual(lines, [
    'tend.yaml:4:24: services.app.restart.policy: expected one of "no", "on-failure", "always", got "sometimes"',
    'tend.yaml:4:49: services.app.restart.max_restarts: expected a number >= 0, got -1',
    'tend.yaml:4:62: services.app.restart.backoff: expected a duration such as 500ms, 2s or 1m, got "fast"',
    'tend.yaml:9:20: services.web.restart.max_backoff: expected max_backoff to be at least backoff (2000 ms), got 1000 ms',
    'tend.yaml:11:7: services.web.restart.colour: unknown key; expected one of policy, max_restarts, backoff, max_backoff, reset_after',
    'tend.yaml:12:38: services.web.watch.debounce: expected a duration such as 500ms, 2s or 1m, got "soon"',
    'tend.yaml:12:52: services.web.watch.signal: expected a signal name such as SIGTERM, SIGINT or SIGKILL, got "NOPE"',
    'tend.yaml:13:52: services.web.live.failures: expected a number >= 1, got 0',
  ]);
  assert.deepEqual(await box.cli(['status']).then((s) => s.code), 3);
});

test('max_backoff below backoff is refused at max_backoff, whichever comes first', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  web:\n    command: ${IDLE}\n    restart: { policy: always, backoff: 2s, max_backoff: 1s }\n` });
  const r = await box.cli(['start']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /tend\.yaml:4:58: services\.web\.restart\.max_backoff: expected max_backoff to be at least backoff \(2000 ms\), got 1000 ms/);
});

test('always without max_restarts never ends failed; on-failure still gives up after 5 fast failures', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  forever:
    command: exit 1
    restart: { policy: always, backoff: 10ms, max_backoff: 20ms }
  limited:
    command: exit 1
    restart: { policy: on-failure, backoff: 10ms, max_backoff: 20ms }
`,
  });
  const r = await box.cli(['start']);
  assert.equal(r.code, 0, r.stderr);
  const states = new Set<string>();
  await until('forever to pass the fast-failure limit, and limited to give up', async () => {
    const services = await list(box);
    const forever = services.find((s) => s.name === 'forever')!;
    states.add(forever.state);
    return forever.restarts >= 12 && services.find((s) => s.name === 'limited')!.state === 'failed';
  });
  assert.ok(!states.has('failed'), [...states].join(', '));
  const limited = await service(box, 'limited');
  assert.equal(limited.restarts, 4);
  assert.match(limited.reason ?? '', /gave up after 5 runs in a row shorter than 10000 ms/);
});
