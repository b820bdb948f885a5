import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { startDaemon } from '../helpers/kit.js';
import { until } from '../helpers/wait.js';
import { waitGone } from '../helpers/proc.js';

const SLEEPER = 'services:\n  web:\n    command: sleep 600\n';

// A short answer deadline keeps the frozen-daemon cases quick; the default is 3 s.
const FAST = { TEND_ANSWER_TIMEOUT: '0.5' };

async function frozenDaemon(t: Parameters<typeof makeSandbox>[0]): Promise<{ box: Sandbox; pid: number }> {
  const box = makeSandbox(t, { 'tend.yaml': SLEEPER });
  const { pid } = await startDaemon(box);
  process.kill(pid, 'SIGSTOP');
  // Teardown SIGKILLs it (a stopped process takes SIGKILL); SIGCONT first in case a test fails early.
  t.after(() => {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // Gone.
    }
  });
  return { box, pid };
}

for (const args of [['ps'], ['reload'], ['stop', 'web'], ['start', 'web'], ['restart', 'web'], ['ps', '--watch'], ['status', '--watch']]) {
  test(`${args.join(' ')} says a stopped (SIGSTOP) daemon is not answering, names its pid and the fix, exit 4`, async (t) => {
    const { box, pid } = await frozenDaemon(t);
    const r = await box.cli(args, { env: FAST, timeoutMs: 20_000 });
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stderr, /not answering/);
    assert.match(r.stderr, new RegExp(`pid ${pid}`));
    assert.match(r.stderr, /tend stop --force/);
  });
}

test('start with a stopped (SIGSTOP) daemon says it is not answering at once instead of waiting out --wait-timeout, exit 1', async (t) => {
  const { box, pid } = await frozenDaemon(t);
  const r = await box.cli(['start', '--wait-timeout', '30'], { env: FAST, timeoutMs: 20_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /not answering/);
  assert.match(r.stderr, new RegExp(`pid ${pid}`));
  assert.match(r.stderr, /tend stop --force/);
});

test('status of a stopped daemon honours TEND_ANSWER_TIMEOUT and says unknown (exit 4)', async (t) => {
  const { box } = await frozenDaemon(t);
  const r = await box.cli(['status'], { env: FAST, timeoutMs: 20_000 });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stdout, /no answer .* within 0\.5 s/);
});

// (`start web` with no daemon, or a dead one's state, starts a daemon with web: test/e2e/config-select.)
for (const args of [['ps'], ['reload'], ['stop', 'web'], ['restart', 'web'], ['ps', '--json']]) {
  test(`${args.join(' ')} on the stale state of a killed daemon explains it and exits 3`, async (t) => {
    const box = makeSandbox(t, { 'tend.yaml': SLEEPER });
    const { pid } = await startDaemon(box);
    process.kill(pid, 'SIGKILL');
    assert.ok(await waitGone(pid));
    const r = await box.cli(args);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /ECONNREFUSED/);
    assert.match(r.stderr, new RegExp(`stale state \\(pid ${pid} is gone`));
    assert.match(r.stderr, /'tend start' replaces it/);
  });
}

for (const args of [['stop', 'web'], ['restart', 'web'], ['ps'], ['reload']]) {
  test(`${args.join(' ')} with no daemon says it is not running and exits 3`, async (t) => {
    const box = makeSandbox(t, { 'tend.yaml': SLEEPER });
    const r = await box.cli(args);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /not running; start it with 'tend start'/);
  });
}

test('start --wait that loses to a stop exits 1 and says the daemon was stopped, never "started"', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': 'services:\n  web:\n    command: sleep 600\n    ready: { log: never-printed, interval: 100ms, retries: 100000 }\n' });
  const start = box.spawnCli(['start', '--wait']);
  let stdout = '';
  let stderr = '';
  start.stdout!.on('data', (c) => (stdout += c));
  start.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => start.on('close', (code) => resolve(code)));
  // The daemon is up (its services are not ready): start now waits in awaitReady.
  await until('the daemon to answer', async () => (await box.cli(['status'])).code === 0, 20_000);
  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(await exited, 1, stdout + stderr);
  assert.doesNotMatch(stdout, /started/);
  assert.match(stderr, /was stopped .* before its services were ready/);
});
