import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { freePort } from '../../helpers/ports.js';
import { until } from '../../helpers/wait.js';

// What nginx (`access_log /dev/stdout`), gunicorn (`--access-logfile
// /dev/stdout`) and `tee /dev/stderr` do: open their own stdout/stderr by
// path, which fails with ENXIO on a socket.
const BY_PATH = "echo hi > /dev/stdout; echo err > /dev/stderr; echo fd >/proc/self/fd/1; echo teed | tee /dev/stderr >/dev/null";
const EXPECTED = ['hi', 'err', 'fd', 'teed'];
const CONFIG = `services:\n  dev:\n    command: "${BY_PATH}; exec sleep 300"\n`;

async function logLines(box: Sandbox, name: string): Promise<string[]> {
  const r = await box.cli(['logs', name]);
  // The service's own lines: run markers (`--- run 1 started …`) left out.
  return r.code === 0 ? r.stdout.split('\n').filter((l) => l !== '' && !/^\S+\s*\| --- run \d+ /.test(l)) : [];
}

test('a service can open /dev/stdout, /dev/stderr and /proc/self/fd/1, and its lines are in tend logs', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const lines = await until('the four lines in the log', async () => {
    const got = await logLines(box, 'dev');
    return got.length >= EXPECTED.length ? got : null;
  });
  assert.deepEqual([...lines].sort(), EXPECTED.map((l) => `dev | ${l}`).sort(), lines.join('\n'));
  assert.doesNotMatch(lines.join('\n'), /No such device or address/);
  // The FIFOs the pipes were made from are gone at once: only the log is left.
  assert.deepEqual(readdirSync(join(box.paths().dir, 'services')).sort(), ['dev.log']);
  assert.equal((await box.cli(['stop'])).code, 0);
});

test('under run, a service writing to /dev/stdout and /dev/stderr shows on the terminal', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  const run = box.spawnCli(['run']);
  let out = '';
  run.stdout!.on('data', (c: Buffer) => void (out += c.toString()));
  run.stderr!.on('data', (c: Buffer) => void (out += c.toString()));
  await until('the four lines on the terminal', () => EXPECTED.every((l) => new RegExp(`dev\\s*\\| ${l}$`, 'm').test(out)) || null);
  assert.doesNotMatch(out, /No such device or address/);
  const exited = new Promise((resolve) => run.once('exit', resolve));
  run.kill('SIGTERM');
  assert.equal(await exited, 0);
});

const nginx = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0 ? null : 'nginx is not installed (apt-get install nginx-light)';

test('nginx with access_log /dev/stdout runs as a service and its access log is in tend logs', { skip: nginx ?? false }, async (t) => {
  const port = await freePort();
  const conf = [
    'daemon off;',
    'master_process off;',
    'pid nginx.pid;',
    'error_log /dev/stderr notice;',
    'events {}',
    'http {',
    '  access_log /dev/stdout;',
    '  client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;',
    `  server { listen 127.0.0.1:${port}; location / { return 200 "ok\\n"; } }`,
    '}',
    '',
  ].join('\n');
  const box = makeSandbox(t, {
    'nginx.conf': conf,
    'tmp/.keep': '',
    'tend.yaml': `services:\n  nginx:\n    command: [nginx, -p, ., -c, nginx.conf, -e, /dev/stderr]\n    ready: { tcp: ${port} }\n`,
  });
  const started = await box.cli(['start', '--wait']);
  assert.equal(started.code, 0, started.stderr);
  await new Promise<void>((resolve, reject) => get(`http://127.0.0.1:${port}/tend-probe`, (res) => res.resume().on('end', resolve)).on('error', reject));
  const lines = await until('the access log line', async () => {
    const got = await logLines(box, 'nginx');
    return got.some((l) => l.includes('GET /tend-probe')) ? got : null;
  });
  assert.doesNotMatch(lines.join('\n'), /No such device or address|emerg/);
  assert.equal((await box.cli(['stop'])).code, 0);
});

const FAKE_MKFIFO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'services', 'counting-mkfifo');
const REAL_MKFIFO = spawnSync('sh', ['-c', 'command -v mkfifo'], { encoding: 'utf8' }).stdout.trim();

test('twenty services starting together get their pipes from one mkfifo call, off the event loop, and every line is logged', async (t) => {
  const names = Array.from({ length: 20 }, (_, i) => `s${i}`);
  const box = makeSandbox(t, { 'tend.yaml': `services:\n${names.map((n) => `  ${n}:\n    command: "echo ${n} > /dev/stdout; exec sleep 300"\n`).join('')}` });
  const calls = join(box.root, 'mkfifo-calls');
  writeFileSync(calls, '');
  const env = { PATH: `${FAKE_MKFIFO_DIR}:${process.env.PATH}`, MKFIFO_CALLS: calls, REAL_MKFIFO };
  const started = await box.cli(['start', '--wait'], { env });
  assert.equal(started.code, 0, started.stderr);
  const made = readFileSync(calls, 'utf8').trim().split('\n').map(Number);
  assert.equal(made.reduce((a, b) => a + b, 0), 40, `two FIFOs a process: ${made.join(', ')}`);
  assert.ok(made.length <= 2, `${made.length} mkfifo calls for 20 processes started together`);
  for (const n of names) await until(`${n}'s line`, async () => (await logLines(box, n)).includes(`${n} | ${n}`) || null);
  assert.equal((await box.cli(['stop'])).code, 0);
});
