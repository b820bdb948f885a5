import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ServiceEvent, WatchConfig } from '../../src/services/types.js';
import { planWatch } from '../../src/services/watch/watch-plan.js';
import { service, supervise, tempDir, until } from './helpers.js';

const IDLE = 'exec sleep 600';

function watch(paths: string[], extra: Partial<WatchConfig> = {}): WatchConfig {
  return { paths, ignore: [], debounceMs: 50, signal: null, ...extra };
}

test('a change restarts the service and the restart event carries changed: <path>', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'src'));
  const { sup } = supervise(t, [service('app', IDLE, { cwd: dir, watch: watch(['src']) })]);
  const events: ServiceEvent[] = [];
  sup.onEvent((e) => events.push(e));
  await sup.start();
  await sup.waitReady(undefined, AbortSignal.timeout(15_000));
  writeFileSync(join(dir, 'src', 'app.ts'), 'x');
  await until(sup, () => sup.get('app')!.restarts === 1 && sup.get('app')!.ready, 'the restart');
  const restart = events.find((e) => e.kind === 'restart');
  assert.equal(restart?.message, 'restart #1: changed: src/app.ts');
  assert.equal(sup.get('app')!.reason, 'changed: src/app.ts');
});

test('watching starts only once the service runs: a pending service ignores changes', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'src'));
  const gate = join(dir, 'gate');
  const { sup } = supervise(t, [
    service('db', IDLE, { cwd: dir, ready: { kind: 'command', command: `test -f ${gate}`, intervalMs: 20, timeoutMs: 1000, retries: 10_000, initialDelayMs: 0 } }),
    service('app', IDLE, { cwd: dir, dependsOn: { db: 'ready' }, watch: watch(['src']) }),
  ]);
  await sup.start();
  await until(sup, () => sup.get('app')!.state === 'pending' && sup.get('db')!.state === 'starting', 'app pending');
  writeFileSync(join(dir, 'src', 'early.ts'), 'x');
  writeFileSync(gate, '');
  await sup.waitReady(['app'], AbortSignal.timeout(15_000));
  writeFileSync(join(dir, 'src', 'late.ts'), 'x');
  await until(sup, () => sup.get('app')!.restarts >= 1 && sup.get('app')!.ready, 'the restart');
  assert.equal(sup.get('app')!.reason, 'changed: src/late.ts');
  assert.equal(sup.get('app')!.restarts, 1);
});

test('a service that crashed comes back when a watched file changes', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'src'));
  const { sup } = supervise(t, [service('app', `test -f ${join(dir, 'src', 'fixed')} && exec sleep 600; exit 1`, { cwd: dir, watch: watch(['src']) })]);
  let watching = false;
  sup.onEvent((e) => (watching ||= e.kind === 'watching'));
  await sup.start();
  // It exits at once, maybe before its watch is in place; the fix is saved once it is.
  await until(sup, () => sup.get('app')!.state === 'exited' && watching, 'app exited and watched');
  writeFileSync(join(dir, 'src', 'fixed'), '');
  await until(sup, () => sup.get('app')!.state === 'running' && sup.get('app')!.restarts === 1, 'the fixed run');
  assert.equal(sup.get('app')!.reason, 'changed: src/fixed');
});

test('the plan subscribes to existing bases and never into ignored or state dirs', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'src', 'node_modules', 'x'), { recursive: true });
  mkdirSync(join(dir, 'state'));
  const plan = planWatch(watch(['src/**/*.ts', 'lib/later', 'src/deep/x.ts'], { ignore: ['src/gen', 'src/**/*.snap'] }), dir, [join(dir, 'state')]);
  assert.deepEqual(
    plan.roots.map((r) => r.dir),
    [dir],
  );
  assert.deepEqual(plan.missing, [join(dir, 'lib', 'later'), join(dir, 'src', 'deep', 'x.ts')]);
  assert.deepEqual(plan.roots[0]!.ignore, ['**/.git', '**/node_modules', join(dir, 'state'), join(dir, 'src', 'gen'), 'src/**/*.snap']);
  assert.equal(plan.matches(join(dir, 'src', 'a.ts')), true);
  assert.equal(plan.matches(join(dir, 'src', 'a.js')), false);
  assert.equal(plan.matches(join(dir, 'src', 'gen', 'a.ts')), false);
  assert.equal(plan.matches(join(dir, 'src', 'node_modules', 'x', 'a.ts')), false);
  assert.equal(plan.matches(join(dir, 'src', 'a.snap')), false);
  assert.equal(plan.matches(join(dir, 'lib', 'later', 'y.js')), true);
  assert.equal(plan.matches(join(dir, 'state', 'x.ts')), false);
  // Named, node_modules is watched.
  const named = planWatch(watch(['node_modules/x']), join(dir, 'src'), []);
  assert.equal(named.matches(join(dir, 'src', 'node_modules', 'x', 'i.js')), true);
  assert.deepEqual(named.roots, [{ dir: join(dir, 'src', 'node_modules', 'x'), ignore: ['**/.git'] }]);
});
