import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { freePort } from '../helpers/ports.js';
import { until } from '../helpers/wait.js';
import { byName, psServices } from '../helpers/ps.js';
import { readProcStat } from '../../src/kit/process/process-info.js';
import { isGone, waitGone } from '../helpers/proc.js';

const HTTP_SERVER = fileURLToPath(new URL('../fixtures/services/http-server.mjs', import.meta.url));


const ps = psServices;

/** Pids of live processes in the process group `pgid` (a service and its children). */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSafe('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readProcStat(pid);
    if (st && st !== 'no-proc' && st.pgid === pgid && st.state !== 'Z') out.push(pid);
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

test('start --wait returns once a dependency chain is ready, and ps --json reports it', async (t) => {
  const box = makeSandbox(t);
  const port = await freePort();
  box.write(
    'tend.yaml',
    `services:
  api:
    command: ["node", ${JSON.stringify(HTTP_SERVER)}]
    env: { PORT: "${port}", DELAY_MS: "300" }
    ready: { http: "http://127.0.0.1:${port}/health", interval: 100ms }
  worker:
    command: node -e "console.log('worker up'); setInterval(() => {}, 1000)"
    depends_on: { api: { condition: ready } }
    ready: { log: "worker up", interval: 100ms }
`,
  );
  const r = await box.cli(['start', '--wait', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const started = JSON.parse(r.stdout);
  assert.equal(started.state, 'running');
  assert.deepEqual(
    started.services.map((s: { name: string; state: string; ready: boolean }) => [s.name, s.state, s.ready]),
    [
      ['api', 'running', true],
      ['worker', 'running', true],
    ],
  );
  const services = await ps(box);
  const api = byName(services, 'api');
  const worker = byName(services, 'worker');
  assert.ok(api.pid && worker.pid);
  assert.ok(Date.parse(worker.startedAt!) >= Date.parse(api.startedAt!), 'worker started after api');
  assert.equal((await box.cli(['stop'])).code, 0);
  assert.ok(await waitGone(api.pid!), 'api stopped with the daemon');
  assert.ok(await waitGone(worker.pid!), 'worker stopped with the daemon');
});

test('start --wait fails naming the service that is not ready, with its exit code', async (t) => {
  const box = makeSandbox(t);
  box.write(
    'tend.yaml',
    `services:
  good:
    command: sleep 1000
  broken:
    command: sh -c "echo 'cannot open config' >&2; exit 4"
`,
  );
  const r = await box.cli(['start', '--wait', '--wait-timeout', '20']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /broken/);
  assert.match(r.stderr, /code 4|exit(ed)? .*4/);
});

test('a bad tend.yaml is refused before anything starts, with file, line and column', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', 'services:\n  web:\n    command: node server.js\n    restart: sometimes\n');
  const r = await box.cli(['start']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /tend\.yaml:4:14: services\.web\.restart: expected one of/);
  assert.equal(existsSync(box.paths().metadataFile), false, 'no metadata');
  assert.equal(existsSync(box.paths().lockDir), false, 'no lock');
  assert.equal((await box.cli(['status'])).code, 3);
});

test('after kill -9 of the daemon, start reaps the services it left: no duplicates, no orphans', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  sleeper:\n    command: sh -c 'sleep 1000 & wait'\n  other:\n    command: ["sleep", "1000"]\n`);
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const before = await ps(box);
  const oldSleeper = byName(before, 'sleeper').pid!;
  const oldOther = byName(before, 'other').pid!;
  await until('the sleeper shell to fork its child', () => groupMembers(oldSleeper).length >= 2);
  const daemonPid = JSON.parse(readFileSync(box.paths().metadataFile, 'utf8')).pid as number;
  process.kill(daemonPid, 'SIGKILL');
  assert.ok(await waitGone(daemonPid));
  assert.equal((await box.cli(['status'])).code, 1, 'stale after kill -9');
  // The services outlived their daemon (they are in their own sessions).
  assert.ok(groupMembers(oldSleeper).length >= 1);

  const again = await box.cli(['start', '--wait']);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(await until('old sleeper group gone', () => groupMembers(oldSleeper).length === 0));
  assert.ok(await waitGone(oldOther), 'old service reaped');
  const after = await ps(box);
  assert.notEqual(byName(after, 'sleeper').pid, oldSleeper);
  assert.notEqual(byName(after, 'other').pid, oldOther);
  assert.equal(byName(after, 'other').state, 'running');
  assert.match(readFileSync(box.paths().logFile, 'utf8'), /left by a killed daemon/);
});

test('a clean stop leaves no process of any service, grandchildren included', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  tree:\n    command: sh -c 'sleep 1000 & sleep 1000 & wait'\n`);
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const pgid = byName(await ps(box), 'tree').pid!;
  await until('three processes in the group', () => groupMembers(pgid).length >= 3);
  const members = groupMembers(pgid);
  assert.equal((await box.cli(['stop'])).code, 0);
  for (const pid of members) assert.ok(await waitGone(pid), `pid ${pid} gone`);
});

test('reload starts added, stops removed and restarts changed services, keeping the rest', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  keep:\n    command: sleep 1000\n  drop:\n    command: sleep 1001\n  change:\n    command: sleep 1002\n`);
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const before = await ps(box);
  box.write('tend.yaml', `services:\n  keep:\n    command: sleep 1000\n  change:\n    command: sleep 1003\n  added:\n    command: sleep 1004\n`);
  const r = await box.cli(['reload', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { added: ['added'], removed: ['drop'], changed: ['change'], unchanged: ['keep'] });
  const after = await until('added service running', async () => {
    const s = await ps(box);
    return s.find((x) => x.name === 'added')?.state === 'running' && byName(s, 'change').state === 'running' ? s : null;
  });
  assert.equal(byName(after, 'keep').pid, byName(before, 'keep').pid, 'unchanged service kept its process');
  assert.notEqual(byName(after, 'change').pid, byName(before, 'change').pid);
  assert.equal(after.some((s) => s.name === 'drop'), false);
  assert.ok(await waitGone(byName(before, 'drop').pid!), 'removed service stopped');
});

test('a reload with a bad file changes nothing and says where the mistake is', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  keep:\n    command: sleep 1000\n`);
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const before = byName(await ps(box), 'keep');
  box.write('tend.yaml', `services:\n  keep:\n    command: sleep 1000\n    depends_on: [ghost]\n`);
  const r = await box.cli(['reload']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /tend\.yaml:4:\d+: .*ghost/);
  const after = byName(await ps(box), 'keep');
  assert.equal(after.pid, before.pid);
  assert.equal(after.state, 'running');
});

test('stop and start of one service leave the daemon and the others running', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  a:\n    command: sleep 1000\n  b:\n    command: sleep 1001\n`);
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const before = await ps(box);
  const stopped = await box.cli(['stop', 'a', '--json']);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(JSON.parse(stopped.stdout).services[0].state, 'stopped');
  assert.ok(await waitGone(byName(before, 'a').pid!));
  assert.equal(byName(await ps(box), 'b').pid, byName(before, 'b').pid);
  const started = await box.cli(['start', 'a', '--wait']);
  assert.equal(started.code, 0, started.stderr);
  assert.equal(byName(await ps(box), 'a').state, 'running');
  const unknown = await box.cli(['stop', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no service named "nope"/);
});

test('run prints every service line behind its name, and stop ends it cleanly', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  talker:\n    command: sh -c 'echo hello from talker; exec sleep 1000'\n`);
  const child = box.spawnCli(['run']);
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until('the prefixed line', () => out.includes('talker | hello from talker'));
  const status = await box.cli(['status', '--json']);
  assert.equal(JSON.parse(status.stdout).foreground, true);
  const pid = byName(await ps(box), 'talker').pid!;
  assert.equal((await box.cli(['stop'])).code, 0);
  assert.equal(await exited, 0);
  assert.ok(await waitGone(pid));
});

test('logs SERVICE prints the last lines behind the service name', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', `services:\n  counter:\n    command: sh -c 'for i in 1 2 3 4 5; do echo line $i; done; exec sleep 1000'\n`);
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const logFile = box.paths().serviceLog('counter');
  await until('five lines in the log', () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('line 5'));
  const r = await box.cli(['logs', 'counter', '-n', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'counter | line 4\ncounter | line 5\n');
  // A name the running daemon does not know is an error (a quiet service is not: test/e2e/logs-quiet).
  const ghost = await box.cli(['logs', 'ghost']);
  assert.equal(ghost.code, 1);
  assert.equal(ghost.stdout, '');
  assert.match(ghost.stderr, /no log for ghost: not a service of the running daemon/);
  assert.equal(isGone(byName(await ps(box), 'counter').pid!), false);
});
