import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';

// Each test leases from its own block below the ephemeral range, so tests
// running at once (each with its own state root, so its own registry) never
// race for one port; every port is still verified free by binding.
let block = 0;
function leaseRange(): string {
  const low = 21000 + 200 * block++;
  return `${low}-${low + 199}`;
}

const LISTEN = `node -e "require('net').createServer().listen(+process.env.PORT, '127.0.0.1')"`;

function autoServices(count: number): string {
  let text = 'services:\n';
  for (let i = 0; i < count; i++) text += `  s${i}:\n    port: auto\n    command: ${LISTEN}\n    ready: { tcp: "\${PORT}", interval: 50ms }\n`;
  return text;
}

interface PsRow {
  name: string;
  state: string;
  port: number | null;
  reason: string | null;
}

async function ps(box: Sandbox, cwd = box.projectDir): Promise<PsRow[]> {
  const r = await box.cli(['ps', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { services: PsRow[] }).services;
}

function portsOf(rows: PsRow[]): Record<string, number | null> {
  return Object.fromEntries(rows.map((r) => [r.name, r.port]));
}

/** Another project dir under the sandbox (same state root). */
function project(box: Sandbox, name: string, tendYaml: string): string {
  const dir = join(box.root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tend.yaml'), tendYaml);
  return dir;
}

/** A process of this test listening on a port the OS picks; resolves with its pid and port. */
async function stranger(t: TestContext, box: Sandbox, port = 0): Promise<{ pid: number; port: number }> {
  const child = spawn(process.execPath, ['-e', `const s=require('net').createServer().listen(${port},'127.0.0.1',()=>console.log(s.address().port))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  box.track(child.pid!);
  t.after(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const bound = await until('the stranger to listen', () => (/\d+\n/.test(out) ? Number(out.trim()) : 0));
  return { pid: child.pid!, port: bound };
}

test('racing starts of 4 projects with 5 auto services each give 20 distinct ports, each in its env as PORT', async (t) => {
  const box = makeSandbox(t);
  const env = { TEND_PORT_RANGE: leaseRange() };
  const dirs = [1, 2, 3, 4].map((n) => project(box, `p${n}`, autoServices(5)));
  const results = await Promise.all(dirs.map((cwd) => box.cli(['start', '--wait'], { cwd, env })));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const rows = (await Promise.all(dirs.map((cwd) => ps(box, cwd)))).flat();
  assert.equal(rows.length, 20);
  for (const r of rows) assert.equal(r.state, 'running', JSON.stringify(r));
  const ports = rows.map((r) => r.port);
  assert.equal(new Set(ports).size, 20, `ports: ${ports.join(', ')}`);
  // Ready by `tcp: ${PORT}` means each service listened on the port ps shows.
});

test('a project gets the same ports back after restart, kill -9 of its daemon and start, and stop and start', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': autoServices(3) });
  const env = { TEND_PORT_RANGE: leaseRange() };
  assert.equal((await box.cli(['start', '--wait'], { env })).code, 0);
  const first = portsOf(await ps(box));
  assert.equal(Object.values(first).filter((p) => typeof p === 'number').length, 3);

  const restarted = await box.cli(['restart', '--wait'], { env });
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.deepEqual(portsOf(await ps(box)), first, 'after restart');

  process.kill(box.metadata()!.pid, 'SIGKILL');
  const again = await box.cli(['start', '--wait'], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(portsOf(await ps(box)), first, 'after kill -9 and start');

  assert.equal((await box.cli(['stop'])).code, 0);
  assert.equal((await box.cli(['start', '--wait'], { env })).code, 0);
  assert.deepEqual(portsOf(await ps(box)), first, 'after stop and start');
});

test('a lease kept by a stopped project is never handed to another project', async (t) => {
  const box = makeSandbox(t);
  // A range of 3 ports: the first project keeps 2 while stopped, so the second gets the one left.
  const low = 21000 + 200 * block++;
  const env = { TEND_PORT_RANGE: `${low}-${low + 2}` };
  const a = project(box, 'a', autoServices(2));
  const b = project(box, 'b', autoServices(1));
  assert.equal((await box.cli(['start', '--wait'], { cwd: a, env })).code, 0);
  const aPorts = (await ps(box, a)).map((r) => r.port);
  assert.equal((await box.cli(['stop'], { cwd: a })).code, 0);
  assert.equal((await box.cli(['start', '--wait'], { cwd: b, env })).code, 0);
  const [bPort] = (await ps(box, b)).map((r) => r.port);
  assert.ok(!aPorts.includes(bPort!), `b got ${bPort}, a keeps ${aPorts.join(', ')}`);
});

test('a stranger listening on a leased port moves that lease, and the daemon log says so', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': autoServices(1) });
  const env = { TEND_PORT_RANGE: leaseRange() };
  assert.equal((await box.cli(['start', '--wait'], { env })).code, 0);
  const [before] = (await ps(box)).map((r) => r.port);
  assert.equal((await box.cli(['stop'])).code, 0);
  const other = await stranger(t, box, before!);
  assert.equal(other.port, before);
  const r = await box.cli(['start', '--wait'], { env });
  assert.equal(r.code, 0, r.stderr);
  const [after] = (await ps(box)).map((row) => row.port);
  assert.notEqual(after, before);
  const log = readFileSync(box.paths().logFile, 'utf8');
  assert.match(log, new RegExp(`service s0: its leased port ${before} is in use by pid ${other.pid} \\(.*node.*\\); lease moved to ${after}`));
});

test('a fixed port that is taken fails the service before it is spawned, naming the holder, also with start --wait', async (t) => {
  const box = makeSandbox(t);
  const other = await stranger(t, box);
  box.write('tend.yaml', `services:\n  web:\n    port: ${other.port}\n    command: ${LISTEN}\n  worker:\n    command: sleep 1000\n`);
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`service web: port ${other.port} is in use by pid ${other.pid} \\(.*node -e.*\\); not started`));
  const rows = await ps(box);
  const web = rows.find((s) => s.name === 'web')!;
  assert.equal(web.state, 'failed');
  assert.equal(web.port, other.port);
  assert.equal((web as unknown as { pid: number | null }).pid, null, 'never spawned');
  assert.equal(rows.find((s) => s.name === 'worker')!.state, 'running');
});

test('a port held by another tend project is named as its service and project', async (t) => {
  const box = makeSandbox(t);
  const env = { TEND_PORT_RANGE: leaseRange() };
  const a = project(box, 'a', autoServices(1));
  assert.equal((await box.cli(['start', '--wait'], { cwd: a, env })).code, 0);
  const [held] = (await ps(box, a)).map((r) => r.port);
  box.write('tend.yaml', `services:\n  web:\n    port: ${held}\n    command: ${LISTEN}\n`);
  const r = await box.cli(['start', '--wait'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`port ${held} is in use by service s0 of project ${a} \\(pid \\d+`));
});

test("the daemon's own --port taken: start fails at once naming the holder, and leaves nothing", async (t) => {
  const box = makeSandbox(t);
  const other = await stranger(t, box);
  const r = await box.cli(['start', '--port', String(other.port)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`EADDRINUSE.*${other.port}: in use by pid ${other.pid} \\(.*node -e`));
  assert.equal(box.metadata(), null);
});

test('ps shows a PORT column', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `${autoServices(1)}  plain:\n    command: sleep 1000\n` });
  const started = await box.cli(['start', '--wait'], { env: { TEND_PORT_RANGE: leaseRange() } });
  assert.equal(started.code, 0, started.stderr);
  const [port] = (await ps(box)).map((r) => r.port);
  const table = (await box.cli(['ps'])).stdout.split('\n');
  assert.match(table[0]!, /^NAME\s+STATE\s+PID\s+PORT\s+UPTIME/);
  assert.match(table.find((l) => l.startsWith('s0'))!, new RegExp(`\\s${port}\\s`));
  assert.match(table.find((l) => l.startsWith('plain'))!, /^plain\s+running\s+\d+\s+-\s/);
});

test('a service that dies of EADDRINUSE has the holder of its port in its reason', async (t) => {
  const box = makeSandbox(t);
  // The service binds only once the test says go, after a stranger took its port.
  box.write(
    'tend.yaml',
    `services:\n  web:\n    port: auto\n    command: while [ ! -f go ]; do sleep 0.05; done; exec ${LISTEN}\n`,
  );
  assert.equal((await box.cli(['start'], { env: { TEND_PORT_RANGE: leaseRange() } })).code, 0);
  const [port] = (await ps(box)).map((r) => r.port);
  const other = await stranger(t, box, port!);
  box.write('go', '');
  const web = await until('web to exit', async () => (await ps(box)).find((r) => r.state === 'exited'));
  assert.match(web.reason!, new RegExp(`exited with code 1 \\(port ${port} is in use by pid ${other.pid} \\(`));
});
