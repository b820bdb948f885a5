import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';
import { waitGone } from '../helpers/proc.js';

// Lease blocks of their own (see ports.test.ts), away from that file's.
let block = 0;
function leaseRange(): string {
  const low = 26000 + 200 * block++;
  return `${low}-${low + 199}`;
}

interface PsRow {
  name: string;
  state: string;
  pid: number | null;
  port: number | null;
}

async function ps(box: Sandbox, args: string[] = []): Promise<PsRow[]> {
  const r = await box.cli(['ps', '--json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { services: PsRow[] }).services;
}

function states(rows: PsRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.name, r.state]));
}

/** The service's log lines (without the tend prefix a line may carry). */
function logOf(box: Sandbox, service: string): string {
  try {
    return readFileSync(join(box.paths().dir, 'services', `${service}.log`), 'utf8');
  } catch {
    return '';
  }
}

const SLEEP = 'sleep 1000';

test('start NAME with no daemon starts only that service and what it depends on', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:\n  db: { command: ${SLEEP} }\n  api: { command: ${SLEEP}, depends_on: [db] }\n  web: { command: ${SLEEP} }\n`,
  });
  const r = await box.cli(['start', 'api', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(states(await ps(box)), { db: 'running', api: 'running', web: 'stopped' });
  // With the daemon running, start NAME starts it there.
  assert.equal((await box.cli(['start', 'web'])).code, 0);
  assert.equal(states(await ps(box)).web, 'running');
});

test('start of an unknown NAME with no daemon fails before anything is spawned', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  web: { command: ${SLEEP} }\n` });
  const r = await box.cli(['start', 'nope']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no service named "nope" \(services: web\)/);
  assert.equal((await box.cli(['status'])).code, 3);
});

test('run NAME runs only that service and its dependencies in the foreground', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:\n  db: { command: "sh -c 'echo db up; exec ${SLEEP}'" }\n  api: { command: "sh -c 'echo api up; exec ${SLEEP}'", depends_on: [db] }\n  web: { command: ${SLEEP} }\n`,
  });
  const child = box.spawnCli(['run', 'api']);
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until('both lines', () => out.includes('api | api up') && out.includes('db  | db up'));
  assert.deepEqual(states(await ps(box)), { db: 'running', api: 'running', web: 'stopped' });
  assert.equal((await box.cli(['stop'])).code, 0);
  assert.equal(await exited, 0);
});

test('autostart: false is left stopped by start and starts by name', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  web: { command: ${SLEEP} }\n  seed: { command: ${SLEEP}, autostart: false }\n` });
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(states(await ps(box)), { web: 'running', seed: 'stopped' });
  assert.equal((await box.cli(['start', 'seed'])).code, 0);
  assert.equal(states(await ps(box)).seed, 'running');
});

test('profiles: --profile (repeatable) and TEND_PROFILES activate services; a dependency starts whatever its profiles', async (t) => {
  const yaml = [
    'services:',
    `  web: { command: ${SLEEP} }`,
    `  debug: { command: ${SLEEP}, profiles: [debug], depends_on: [mail] }`,
    `  mail: { command: ${SLEEP}, profiles: [mail] }`,
    `  docs: { command: ${SLEEP}, profiles: [docs] }`,
    '',
  ].join('\n');
  const box = makeSandbox(t, { 'tend.yaml': yaml });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  assert.deepEqual(states(await ps(box)), { web: 'running', debug: 'stopped', mail: 'stopped', docs: 'stopped' });
  assert.equal((await box.cli(['stop'])).code, 0);

  const r = await box.cli(['start', '--wait', '--profile', 'debug', '--profile', 'docs']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(states(await ps(box)), { web: 'running', debug: 'running', mail: 'running', docs: 'running' });
  assert.equal((await box.cli(['stop'])).code, 0);

  assert.equal((await box.cli(['start', '--wait'], { env: { TEND_PROFILES: 'docs' } })).code, 0);
  assert.deepEqual(states(await ps(box)), { web: 'running', debug: 'stopped', mail: 'stopped', docs: 'running' });
});

test('--file Procfile.dev, -F other.yaml and TEND_FILE choose the config; the project is the file\'s dir', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:\n  main: { command: ${SLEEP} }\n`,
    'Procfile.dev': `dev: ${SLEEP}\n`,
    'conf/other.yaml': `services:\n  other: { command: ${SLEEP} }\n`,
  });
  const env = { TEND_PORT_RANGE: leaseRange() };
  const elsewhere = join(box.root, 'elsewhere');
  mkdirSync(elsewhere);
  const procfile = join(box.projectDir, 'Procfile.dev');
  assert.equal((await box.cli(['start', '--file', procfile, '--wait'], { cwd: elsewhere, env })).code, 0);
  assert.deepEqual(states(await ps(box)), { dev: 'running' });
  // -F on another command finds the same project (its dir), and -f stays "follow" for logs.
  assert.deepEqual(states((JSON.parse((await box.cli(['ps', '--json', '-F', procfile], { cwd: elsewhere })).stdout) as { services: PsRow[] }).services), { dev: 'running' });
  assert.equal((await box.cli(['stop'])).code, 0);

  const other = join(box.projectDir, 'conf', 'other.yaml');
  const r = await box.cli(['-F', other, 'start', '--wait'], { env });
  assert.equal(r.code, 0, r.stderr);
  const status = JSON.parse((await box.cli(['status', '--json'], { env: { TEND_FILE: other } })).stdout);
  assert.equal(status.state, 'running');
  assert.deepEqual(status.services.map((s: PsRow) => s.name), ['other']);
});

test('a Procfile process gets PORT 5000-style numbers (base $PORT), PS=name.1 and the project .env', async (t) => {
  const box = makeSandbox(t, {
    Procfile: 'web: echo "web PORT=$PORT PS=$PS FROM=$FROM"; exec sleep 1000\nworker: echo "worker PORT=$PORT PS=$PS"; exec sleep 1000\n',
    '.env': 'FROM=dotenv\n',
  });
  // A base well away from other tests; the lease rules apply if it is taken.
  const base = 30000 + Math.floor(Math.random() * 2000) * 2 + 1;
  const r = await box.cli(['start', '--wait'], { env: { PORT: String(base), TEND_PORT_RANGE: leaseRange() } });
  assert.equal(r.code, 0, r.stderr);
  const rows = await ps(box);
  const [web, worker] = rows;
  await until('both lines', () => logOf(box, 'web').includes('PS=') && logOf(box, 'worker').includes('PS='));
  assert.match(logOf(box, 'web'), new RegExp(`web PORT=${web!.port} PS=web\\.1 FROM=dotenv`));
  assert.match(logOf(box, 'worker'), new RegExp(`worker PORT=${worker!.port} PS=worker\\.1`));
  // Free at the time, the numbers are foreman's own.
  assert.deepEqual([web!.port, worker!.port], [base, base + 100]);
});

test('a .env at the project root reaches every service and ${…} in tend.yaml', async (t) => {
  const box = makeSandbox(t, {
    '.env': 'GREETING=hello\nWHO=dotenv\n',
    'tend.yaml': `services:\n  a:\n    command: echo "\${GREETING} from a, WHO=$WHO"; exec sleep 1000\n`,
  });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  await until('the line', () => logOf(box, 'a').includes('hello from a, WHO=dotenv'));
});

test('reload applies a changed port (restarting that service), new profiles\' services stay stopped', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  web: { command: ${SLEEP}, port: auto }\n  other: { command: ${SLEEP} }\n` });
  assert.equal((await box.cli(['start', '--wait'], { env: { TEND_PORT_RANGE: leaseRange() } })).code, 0);
  const before = await ps(box);
  const free = 32000 + Math.floor(Math.random() * 700);
  writeFileSync(
    join(box.projectDir, 'tend.yaml'),
    `services:\n  web: { command: ${SLEEP}, port: ${free} }\n  other: { command: ${SLEEP} }\n  extra: { command: ${SLEEP}, profiles: [x] }\n`,
  );
  const r = await box.cli(['reload']);
  assert.equal(r.code, 0, r.stderr);
  const after = await ps(box);
  const web = after.find((s) => s.name === 'web')!;
  assert.equal(web.port, free);
  assert.notEqual(web.pid, before.find((s) => s.name === 'web')!.pid);
  assert.ok(await waitGone(before.find((s) => s.name === 'web')!.pid!));
  assert.equal(after.find((s) => s.name === 'other')!.pid, before.find((s) => s.name === 'other')!.pid);
  assert.equal(after.find((s) => s.name === 'extra')!.state, 'stopped');
});

test('start with a running daemon whose tend.yaml changed says so and suggests reload (exit 0)', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  web: { command: ${SLEEP} }\n` });
  assert.equal((await box.cli(['start'])).code, 0);
  const same = await box.cli(['start']);
  assert.equal(same.code, 0);
  assert.doesNotMatch(same.stderr, /changed/);
  box.write('tend.yaml', `services:\n  web: { command: ${SLEEP} }\n  api: { command: ${SLEEP} }\n`);
  const changed = await box.cli(['start']);
  assert.equal(changed.code, 0);
  assert.match(changed.stderr, /tend: warning: tend\.yaml changed since the daemon loaded it; run 'tend reload' to apply it/);
  assert.equal((await box.cli(['reload'])).code, 0);
  assert.doesNotMatch((await box.cli(['start'])).stderr, /changed/);
});

test('start in a dir with no config file warns, then runs the daemon with no services', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['start', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`warning: no tend\\.yaml or Procfile found in ${box.projectDir} or above`));
  assert.deepEqual(JSON.parse(r.stdout).services, []);
});

test('a Procfile process whose foreman number is taken gets a lease instead, with that PORT in its env', async (t) => {
  const { createServer } = await import('node:net');
  const held = createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => held.close(() => resolve())));
  const taken = (held.address() as { port: number }).port;
  const box = makeSandbox(t, { Procfile: 'web: echo "PORT=$PORT"; exec sleep 1000\n' });
  const range = leaseRange();
  const r = await box.cli(['start', '--wait'], { env: { PORT: String(taken), TEND_PORT_RANGE: range } });
  assert.equal(r.code, 0, r.stderr);
  const [web] = await ps(box);
  const [low, high] = range.split('-').map(Number);
  assert.ok(web!.port! >= low! && web!.port! <= high!, `web got ${web!.port}, ${taken} was taken`);
  await until('the line', () => logOf(box, 'web').includes(`PORT=${web!.port}`));
});
