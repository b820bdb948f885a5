import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { exitOf } from '../helpers/child.js';
import { waitFor } from '../helpers/wait.js';

// Written as foreman users write them: a BOM, a release-phase line, an indented
// continuation, a scaled name, and names starting with "-" and "_".
const PROCFILE = '\uFEFF# dev\nweb: sleep 300\nrelease\n  web2: sleep 300\nweb.1: sleep 300\n_worker: sleep 300\n-lint: sleep 300\n';
const SKIPPED = [
  'Procfile:3: skipped "release": not a "name: command" line',
  'Procfile:4: skipped "  web2: sleep 300": a process line starts at the first column',
  'Procfile:5: skipped "web.1: sleep 300": a process name has only letters, digits, "_" and "-"',
];

test('start runs every foreman process line of a Procfile and warns about each line it skips', async (t) => {
  const box = makeSandbox(t, { Procfile: PROCFILE });
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  for (const line of SKIPPED) assert.ok(r.stderr.includes(`tend: warning: ${line}`), `${line} in ${r.stderr}`);
  const ps = await box.cli(['ps', '--json']);
  const services = (JSON.parse(ps.stdout) as { services: { name: string; state: string }[] }).services;
  assert.deepEqual(services.map((s) => [s.name, s.state]), [['web', 'running'], ['_worker', 'running'], ['-lint', 'running']]);
  const log = readFileSync(box.paths().logFile, 'utf8');
  for (const line of SKIPPED) assert.ok(log.includes(`warning: ${line}`), `${line} in the daemon log`);
  assert.equal((await box.cli(['stop'])).code, 0);
});

test('run warns once about each skipped Procfile line', async (t) => {
  const box = makeSandbox(t, { Procfile: PROCFILE });
  const run = box.spawnCli(['run']);
  let stderr = '';
  run.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
  let stdout = '';
  run.stdout!.on('data', (d: Buffer) => void (stdout += d.toString()));
  await waitFor(() => /-lint.*started|started.*-lint/.test(stdout + stderr), 20_000, 'the services started');
  run.kill('SIGTERM');
  assert.equal((await exitOf(run, 20_000)).code, 0);
  const all = stdout + stderr;
  for (const line of SKIPPED) assert.equal(all.split(line).length - 1, 1, `${line} once in ${all}`);
});

test('a duplicate Procfile process name is refused before anything starts', async (t) => {
  const box = makeSandbox(t, { Procfile: 'web: sleep 300\nweb: sleep 301\n' });
  const r = await box.cli(['start']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Procfile:2:1: duplicate process name "web" \(first defined on line 1\)/);
});
