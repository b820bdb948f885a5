import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeSandbox } from '../helpers/sandbox.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };

// What a user does: `npm install -D tend-cli` in their own project, then `npx tend`.
// The tarball is the one `npm publish` would upload (dist/ was built by scripts/test.mjs;
// --ignore-scripts so packing does not rebuild it under other tests' feet).
test('the packed tarball installs into a fresh project, offline, and its `npx tend` starts and stops services', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': 'services:\n  web:\n    command: sleep 300\n' });
  const packDir = join(box.root, 'pack');
  mkdirSync(packDir);
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: REPO, env: box.env });
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  assert.match(tarball, /tend-cli-\d+\.\d+\.\d+.*\.tgz$/, 'the package is named tend-cli');

  writeFileSync(join(box.projectDir, 'package.json'), JSON.stringify({ name: 'my-app', version: '1.0.0', private: true, type: 'module' }));
  // --offline: the bundle needs nothing from the registry.
  const npmEnv = { ...box.env, npm_config_cache: join(box.root, 'npm-cache'), npm_config_update_notifier: 'false' };
  await run('npm', ['install', '-D', '--offline', '--no-audit', '--no-fund', tarball], { cwd: box.projectDir, env: npmEnv });
  const installed = JSON.parse(readFileSync(join(box.projectDir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  assert.ok(installed.devDependencies['tend-cli'], 'recorded as a devDependency');

  // --no: never the registry's unrelated `tend`.
  const npx = (...args: string[]) => run('npx', ['--no', '--', 'tend', ...args], { cwd: box.projectDir, env: npmEnv });
  assert.equal((await npx('--version')).stdout.trim(), PKG.version);
  const started = await npx('start', '--wait', '--json');
  const status = JSON.parse(started.stdout) as { state: string; pid: number };
  assert.equal(status.state, 'running');
  box.track(status.pid);
  const ps = JSON.parse((await npx('ps', '--json')).stdout) as { services: { name: string; state: string }[] };
  assert.deepEqual(ps.services.map((s) => [s.name, s.state]), [['web', 'running']]);
  await npx('stop');
  await assert.rejects(npx('status'), (err: { code?: number }) => err.code === 3, 'stopped');

  // The kit is importable by name.
  const kit = await run(process.execPath, ['--input-type=module', '-e', "import('tend-cli').then((k) => console.log(typeof k.defineDaemon, typeof k.main))"], { cwd: box.projectDir });
  assert.equal(kit.stdout.trim(), 'function function');
});
