import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../helpers/cli.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';

const CLI = cliPath();
const DIST = dirname(CLI);

/** The files of dist/ a command loaded (NODE_DEBUG=module prints each one Node's loader reads). */
export async function filesLoaded(box: Sandbox, args: string[]): Promise<string[]> {
  const r = await box.cli(args, { env: { NODE_DEBUG: 'module' } });
  const files = [...r.stderr.matchAll(/load "([^"]+)" for module/g)].map((m) => m[1]!);
  return [...new Set(files.filter((f) => f.startsWith(`${DIST}/`)).map((f) => f.slice(DIST.length + 1)))];
}

test('the bin is CommonJS (dist/package.json) with its shebang; the kit is an ES module', () => {
  assert.deepEqual(JSON.parse(readFileSync(join(DIST, 'package.json'), 'utf8')), { type: 'commonjs' });
  assert.match(readFileSync(CLI, 'utf8'), /^#!\/usr\/bin\/env node\n"use strict";/);
  const pkg = JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')) as { type: string; bin: { tend: string }; exports: Record<string, { import: string }> };
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.bin.tend, 'dist/cli.js');
  assert.match(pkg.exports['.']!.import, /\.mjs$/);
});

test('tend status, stop and --version load dist/cli.js alone (which compiles tend.js): no vendored dependency, no dashboard', async (t) => {
  const box = makeSandbox(t);
  assert.equal((await box.cli(['start'])).code, 0);
  assert.deepEqual(await filesLoaded(box, ['status']), ['cli.js', 'tend.js']);
  assert.deepEqual(await filesLoaded(box, ['status', '--json']), ['cli.js', 'tend.js']);
  assert.deepEqual(await filesLoaded(box, ['--version']), ['cli.js', 'tend.js']);
  assert.deepEqual(await filesLoaded(box, ['stop']), ['cli.js', 'tend.js']);
  assert.deepEqual(await filesLoaded(box, ['status']), ['cli.js', 'tend.js'], 'stopped');
});

test('help loads yargs from its vendored file, and only it', async (t) => {
  const box = makeSandbox(t);
  assert.deepEqual(await filesLoaded(box, ['--help']), ['cli.js', 'tend.js', 'vendor/yargs.js']);
});

test('one copy of graphql, in its production mode (plain instanceof)', () => {
  const vendor = readdirSync(join(DIST, 'vendor'));
  for (const file of vendor) {
    const text = readFileSync(join(DIST, 'vendor', file), 'utf8');
    if (file !== 'graphql.js') assert.ok(!text.includes('Schema must contain uniquely named types'), `${file} holds a copy of graphql`);
  }
  const graphql = readFileSync(join(DIST, 'vendor', 'graphql.js'), 'utf8');
  // graphql decides with `process.env.NODE_ENV === 'production'`; the build defines it.
  assert.ok(!graphql.includes('process.env.NODE_ENV'), 'graphql reads NODE_ENV at run time');
  assert.ok(!readFileSync(CLI, 'utf8').includes('Schema must contain uniquely named types'), 'cli.js holds a copy of graphql');
});

test('start and its daemon write the code caches once the daemon is ready; status and stop only read them', async (t) => {
  const box = makeSandbox(t);
  const cacheDir = join(box.stateDir, '.code-cache');
  const caches = () => (existsSync(cacheDir) ? readdirSync(cacheDir) : []);
  assert.equal((await box.cli(['status'])).code, 3);
  assert.deepEqual(caches(), [], 'status wrote a cache');
  assert.equal((await box.cli(['start'])).code, 0);
  // One cache per compiled file: the commands' program and the vendored
  // packages `start` loaded (written by start before it exits), the daemon's bundle (by the daemon).
  const build = String.raw`^tend-\d+\.\d+\.\d+.*-node\d+\.\d+\.\d+-\w+-[0-9a-f]{8}-`;
  const has = (file: string) => caches().some((name) => new RegExp(`${build}${file.replace('.', '\\.')}-\\w+-\\w+\\.bin$`).test(name));
  assert.ok(has('tend.js') && has('vendor_yaml.js'), caches().join(' '));
  // Written atomically (a temp file renamed): there once whole.
  await until('the daemon saved its code cache', () => has('daemon.js'));
  for (const name of caches()) rmSync(join(cacheDir, name));
  assert.equal((await box.cli(['status'])).code, 0);
  assert.equal((await box.cli(['stop'])).code, 0);
  assert.deepEqual(caches(), [], 'a command wrote the cache');
});
