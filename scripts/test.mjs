#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner (Node 20's --test does
// not expand globs) and fails when no test ran: a run that finds no file
// prints "# tests 0" and exits 0, which must never pass for green.
// Test files run two at a time (TEND_TEST_CONCURRENCY=N for another number;
// node 20's default is one fewer than the cores: one here). Each test has its
// own state root, project dir and port 0, and waits on processes far more
// than it computes, so two at once halve the wall time on 2 cores.
// Usage: node scripts/test.mjs [path-substring ...]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function list(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    return statSync(p).isDirectory() ? list(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = [...list(join(root, 'test')), ...list(join(root, 'examples'))]
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// End-to-end tests run dist/cli.js as a user would: build it when it is
// missing or older than a source file.
const newest = (dir) => Math.max(0, ...readdirSync(dir).map((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs;
}));
let built = 0;
try { built = statSync(join(root, 'dist/cli.js')).mtimeMs; } catch {}
if (built < newest(join(root, 'src'))) {
  const r = spawnSync('npx', ['tsup', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const concurrency = Number(process.env.TEND_TEST_CONCURRENCY) || 2;
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/test-summary.mjs', '--test-reporter-destination=stderr', ...files],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TEND_TEST: '1' } },
);
child.on('exit', (code, signal) => {
  process.exit(signal ? 1 : (code ?? 1));
});
