import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { processStartTime } from '../../../src/kit/process/process-info.js';
import { findOrphans, reapOrphans } from '../../../src/services/process/orphans.js';
import { groupMembers, killQuiet } from '../../../src/services/process/process-group.js';
import { readRegistry, type RegistryFile } from '../../../src/services/registry.js';
import type { ServiceInfo } from '../../../src/services/types.js';
import { DEADLINE_MS, isDead, killGroups, service, supervise, tempDir, untilState, waitDead } from '../helpers.js';

const runner = fileURLToPath(new URL('../../fixtures/services/run-supervisor.mts', import.meta.url));

/** Runs a supervisor in a child node process, waits until its services are ready, then SIGKILLs it. */
async function orphanServices(t: TestContext, dir: string, services: unknown[]): Promise<ServiceInfo[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', runner, dir, JSON.stringify(services)], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    child.kill('SIGKILL');
    // Safety net: whatever the file still names.
    const registry = readRegistry(join(dir, 'services.json'));
    killGroups(registry?.services.map((s) => s.pgid) ?? []);
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  await Promise.race([
    new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('\n') && resolve())),
    once(child, 'exit').then(([code]) => assert.fail(`supervisor process exited with ${code}`)),
    new Promise((_, reject) => setTimeout(() => reject(new Error('supervisor process never reported')), DEADLINE_MS).unref()),
  ]);
  const list = JSON.parse(out.split('\n')[0]!) as ServiceInfo[];
  t.after(() => killGroups(list.map((s) => s.pid!))); // reapOrphans removes the file: keep the groups
  child.kill('SIGKILL');
  await once(child, 'exit');
  return list;
}

/** A detached `sleep` we own, killed after the test. */
function sleeper(t: TestContext): number {
  const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
  child.unref();
  t.after(() => killQuiet(child.pid!, 'SIGKILL'));
  return child.pid!;
}

test('services.json records each live group with its start time, and forgets it on exit', async (t) => {
  const { sup, dir } = supervise(t, [service('web', 'sleep 1000'), service('job', 'sleep 0.2')]);
  await sup.start();
  const web = sup.get('web')!.pid!;
  const recorded = readRegistry(join(dir, 'services.json'))!;
  assert.equal(recorded.owner.pid, process.pid);
  assert.deepEqual(recorded.services.find((s) => s.name === 'web'), { name: 'web', pid: web, pgid: web, startTime: processStartTime(web) });
  await untilState(sup, 'job', 'exited');
  const deadline = Date.now() + 5_000;
  while (readRegistry(join(dir, 'services.json'))!.services.length !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(readRegistry(join(dir, 'services.json'))!.services.map((s) => s.name), ['web']);
});

test('reapOrphans stops the services of a supervisor that was SIGKILLed, grandchildren included', async (t) => {
  const dir = tempDir(t);
  const services = [
    service('tree', 'sleep 1000 & wait'),
    service('stubborn', 'trap "" TERM; sleep 1000 & wait'),
    service('headless', 'sleep 1000 & wait'),
  ];
  const list = await orphanServices(t, dir, services);
  const groups = list.map((s) => s.pid!);
  const members = groups.flatMap((pgid) => groupMembers(pgid).map((p) => p.pid));
  assert.ok(members.length >= 6, `expected 6 live processes, got ${members.length}`);
  // A leader that died on its own: its grandchild is only findable by group and start time.
  const headless = list.find((s) => s.name === 'headless')!.pid!;
  process.kill(headless, 'SIGKILL');
  assert.ok(await waitDead([headless], 5_000));
  assert.ok(groupMembers(headless).length === 1, 'the orphaned sleep lives on');

  const result = await reapOrphans(dir, { timeoutMs: 500 });
  assert.ok(await waitDead(members, 5_000), `survivors: ${members.filter((p) => !isDead(p))}`);
  assert.deepEqual(groups.flatMap((g) => groupMembers(g)), []);
  assert.deepEqual(new Set(result.killed), new Set(members.filter((p) => p !== headless)));
  assert.equal(existsSync(join(dir, 'services.json')), false);
});

test('reapOrphans never signals a live pid whose start time differs from the record (pid reuse)', async (t) => {
  const dir = tempDir(t);
  const pid = sleeper(t);
  const startTime = processStartTime(pid)!;
  const file: RegistryFile = {
    version: 1,
    bootId: null,
    owner: { pid: 999_999_999, startTime: '1' },
    services: [
      { name: 'later', pid, pgid: pid, startTime: String(BigInt(startTime) + 100n) },
      { name: 'earlier', pid, pgid: pid, startTime: String(BigInt(startTime) - 1n) },
    ],
  };
  writeFileSync(join(dir, 'services.json'), JSON.stringify(file));
  const result = await reapOrphans(dir, { timeoutMs: 200 });
  assert.deepEqual(result.killed, []);
  assert.equal(isDead(pid), false);
  assert.equal(existsSync(join(dir, 'services.json')), false);
});

test('reapOrphans leaves alone the services of a supervisor that is still alive', async (t) => {
  const dir = tempDir(t);
  const owner = sleeper(t);
  const victim = sleeper(t);
  const file: RegistryFile = {
    version: 1,
    bootId: null,
    owner: { pid: owner, startTime: processStartTime(owner) },
    services: [{ name: 'x', pid: victim, pgid: victim, startTime: processStartTime(victim)! }],
  };
  writeFileSync(join(dir, 'services.json'), JSON.stringify(file));
  assert.equal(findOrphans(file.services, [{ pid: victim, pgid: victim, sid: victim, ppid: 1, state: 'S', startTime: file.services[0]!.startTime }]).length, 1);
  const kept = await reapOrphans(dir);
  assert.deepEqual([kept.killed, kept.ownerAlive], [[], true]);
  assert.equal(isDead(victim), false);
  assert.ok(existsSync(join(dir, 'services.json')));
});

test('reapOrphans with no file, or a garbled one, does nothing', async (t) => {
  const dir = tempDir(t);
  assert.deepEqual((await reapOrphans(dir)).killed, []);
  writeFileSync(join(dir, 'services.json'), '{"services": [{"pid": "1"}');
  assert.deepEqual((await reapOrphans(dir)).killed, []);
  assert.equal(existsSync(join(dir, 'services.json')), false);
  // Records that could never be a service (pid 1, no start time) are ignored.
  writeFileSync(join(dir, 'services.json'), JSON.stringify({ services: [{ name: 'x', pid: 1, pgid: 1, startTime: '0' }, { name: 'y', pid: 5 }] }));
  assert.deepEqual((await reapOrphans(dir)).killed, []);
});
