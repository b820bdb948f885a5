import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';
import { isGone, waitGone } from '../helpers/proc.js';
import { exitOf } from '../helpers/child.js';

interface PsService {
  name: string;
  pid: number | null;
}

const YAML = `services:\n  sleeper:\n    command: sh -c 'sleep 1000 & wait'\n`;

test('after kill -9 of the daemon, run stops the services it left before starting its own', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': YAML });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const old = (JSON.parse((await box.cli(['ps', '--json'])).stdout).services as PsService[])[0]!.pid!;
  const daemon = JSON.parse(readFileSync(box.paths().metadataFile, 'utf8')).pid as number;
  process.kill(daemon, 'SIGKILL');
  assert.ok(await waitGone(daemon));
  assert.equal(isGone(old), false, 'the service outlived its daemon');
  const run = box.spawnCli(['run']);
  let log = ''; // the daemon's own lines go to stderr in the foreground
  run.stderr!.on('data', (c) => (log += c));
  await until('run to be ready', () => /ready: pid/.test(log));
  assert.ok(await waitGone(old), 'the old service was stopped');
  assert.match(log, /stopped \d+ service process(es)? left running: sleeper \(pid /);
  assert.equal((await box.cli(['stop'])).code, 0);
  assert.equal((await exitOf(run, 30_000)).code, 0);
});

test('stop --json says what it stopped of what a killed daemon left', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': YAML });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  const old = (JSON.parse((await box.cli(['ps', '--json'])).stdout).services as PsService[])[0]!.pid!;
  process.kill(JSON.parse(readFileSync(box.paths().metadataFile, 'utf8')).pid, 'SIGKILL');
  await until('the daemon to be gone', async () => (await box.cli(['status'])).code === 1);
  const r = await box.cli(['stop', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.result, 'cleaned-stale');
  assert.ok(out.reaped.processes >= 1, JSON.stringify(out));
  assert.match(out.reaped.summary, new RegExp(`sleeper \\(pid ${old}`));
  assert.ok(isGone(old), 'stop returned with the service alive');
});
