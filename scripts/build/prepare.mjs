#!/usr/bin/env node
// `prepare`: builds dist/. From a fresh clone, `npm install -g .` (or `npm link`)
// runs this without having installed devDependencies, so tsup is missing: then
// the locked devDependencies are installed first (`npm ci`'s own run has them).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
// Not the outer `npm install -g`'s settings: this install is local to the clone.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|prefix|location)$/i.test(k)));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync(`${root}node_modules/tsup/package.json`)) {
  console.error('tend: installing the build tools (devDependencies) to build dist/');
  run('npm', ['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
}
run('npx', ['--no', '--', 'tsup']);
