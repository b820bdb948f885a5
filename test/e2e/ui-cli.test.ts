import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';
import { cliPath } from '../helpers/cli.js';

const CONFIG = 'services:\n  idle:\n    command: ["node", "-e", "setInterval(() => {}, 1e9)"]\n';

/** A fake xdg-open (and open) first on PATH that records what it was asked to open. */
function fakeOpener(box: Sandbox): { env: NodeJS.ProcessEnv; opened: string } {
  const opened = join(box.root, 'opened.txt');
  for (const name of ['xdg-open', 'open']) {
    const file = box.write(`../bin/${name}`, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(file, 0o755);
  }
  return { env: { PATH: `${join(box.root, 'bin')}:${process.env.PATH}` }, opened };
}

const noDisplay = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const out = { ...env };
  delete out.DISPLAY;
  delete out.WAYLAND_DISPLAY;
  return out;
};

test('tend ui without a daemon exits 3 saying how to start it', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  const r = await box.cli(['ui', '--no-open']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /not running.*tend start/);
});

test('tend ui --json prints the one-time login URL on the daemon\'s own origin', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  assert.equal((await box.cli(['start'])).code, 0);
  const r = await box.cli(['ui', '--json', '--no-open']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { url: string; opened: boolean };
  const endpoint = JSON.parse(readFileSync(box.paths().metadataFile, 'utf8')).endpoint as string;
  const url = new URL(out.url);
  assert.equal(url.origin, new URL(endpoint).origin);
  assert.equal(url.pathname, '/ui/login');
  assert.match(url.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{32,}$/);
  assert.equal(out.opened, false);
  const again = JSON.parse((await box.cli(['ui', '--json', '--no-open'])).stdout) as { url: string };
  assert.notEqual(again.url, out.url, 'a new code each time');
});

test('tend ui never launches a browser without a display, and says so', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  assert.equal((await box.cli(['start'])).code, 0);
  const fake = fakeOpener(box);
  const r = await box.cli(['ui'], { env: noDisplay({ ...box.env, ...fake.env }) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /dashboard: http:\/\/127\.0\.0\.1:\d+\/ui\/login\?code=/);
  assert.match(r.stderr, /no display/);
  assert.equal(existsSync(fake.opened), false);
});

test('tend ui opens the URL with xdg-open when there is a display; --no-open does not', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  assert.equal((await box.cli(['start'])).code, 0);
  const fake = fakeOpener(box);
  const quiet = await box.cli(['ui', '--no-open'], { env: { ...fake.env, DISPLAY: ':99' } });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(existsSync(fake.opened), false);
  const r = await box.cli(['ui', '--json'], { env: { ...fake.env, DISPLAY: ':99' } });
  assert.equal(r.code, 0, r.stderr);
  const { url, opened } = JSON.parse(r.stdout) as { url: string; opened: boolean };
  assert.equal(opened, true);
  assert.equal(await until('the opener ran', () => existsSync(fake.opened) && readFileSync(fake.opened, 'utf8')), url);
});

test('the dashboard is not on the status path: status reads no dashboard file and cli.js holds no page', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  assert.equal((await box.cli(['start'])).code, 0);
  const r = await box.cli(['status'], { env: { NODE_DEBUG: 'module' } });
  assert.equal(r.code, 0, r.stderr);
  const read = [...r.stderr.matchAll(/load "([^"]+)" for module/g)].map((m) => m[1]!).filter((f) => f.startsWith(dirname(cliPath())));
  const program = join(dirname(cliPath()), 'tend.js');
  assert.deepEqual([...new Set(read)], [cliPath(), program]);
  for (const file of [cliPath(), program]) assert.ok(!readFileSync(file, 'utf8').includes('<title>tend dashboard</title>'), `${file} holds the page`);
});
