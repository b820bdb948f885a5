import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { startDaemon } from '../helpers/kit.js';
import { spawnOnPty } from '../helpers/pty.js';
import { cliPath } from '../helpers/cli.js';
import { collectStdout, exitOf } from '../helpers/child.js';
import { waitFor } from '../helpers/wait.js';

const PROJECT = 'services:\n  a:\n    command: sleep 600\n  b:\n    command: sleep 600\n';

// A status line without what moves on every tick (time, uptime, rss, requests).
const steady = (line: string) => line.replace(/^\S+ /, '').replace(/ up .*? rss .*? requests \d+/, '');

test('status --watch prints a line only when something changes, with the services summary, and says when the daemon stops', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': PROJECT });
  await startDaemon(box);
  const watch = box.spawnCli(['status', '--watch', '--interval', '0.1']);
  let stderr = '';
  watch.stderr!.on('data', (c) => (stderr += c));
  const out = collectStdout(watch);
  const lines = () => out.text().split('\n').filter(Boolean);
  await waitFor(() => lines().length >= 1, 20_000, 'the first status line');
  assert.match(lines()[0]!, /services 2 running/);
  const stop = await box.cli(['stop', 'a']);
  assert.equal(stop.code, 0, stop.stderr);
  await waitFor(() => lines().some((l) => /1 stopped \(a\)/.test(l)), 20_000, 'a line saying a stopped');
  const daemonStop = await box.cli(['stop']);
  assert.equal(daemonStop.code, 0, daemonStop.stderr);
  const exit = await exitOf(watch, 20_000);
  assert.equal(exit.code, 3);
  assert.match(stderr, /the daemon stopped/);
  const seen = lines().map(steady);
  for (let i = 1; i < seen.length; i++) assert.notEqual(seen[i], seen[i - 1], `line ${i} repeats the one before:\n${lines().join('\n')}`);
});

test('ps --watch says the daemon stopped when it does, exit 3', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': PROJECT });
  await startDaemon(box);
  const watch = box.spawnCli(['ps', '--watch']);
  let stderr = '';
  watch.stderr!.on('data', (c) => (stderr += c));
  const out = collectStdout(watch);
  await waitFor(() => out.text().includes('NAME'), 20_000, 'the table');
  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 0, stop.stderr);
  const exit = await exitOf(watch, 20_000);
  assert.equal(exit.code, 3);
  assert.match(stderr, /the daemon stopped/);
});

test('ps --watch on a terminal keeps UPTIME moving between events', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': 'services:\n  a:\n    command: sleep 600\n' });
  await startDaemon(box);
  const onPty = spawnOnPty([process.execPath, cliPath(), 'ps', '--watch'], { cwd: box.projectDir, env: box.env, track: box.track });
  const uptimes = () => new Set([...onPty.output().matchAll(/^a\s+running\s+\d+\s+(?:-|\d+)\s+(\S+(?: \S+s)?)/gm)].map((m) => m[1]));
  // Columns: NAME STATE PID PORT UPTIME. No service event happens meanwhile: only the ticking can change the cell.
  await waitFor(() => uptimes().size >= 3, 30_000, `UPTIME to move without events (seen: ${[...uptimes()].join(', ')})`);
  process.kill(await onPty.pid, 'SIGINT');
  await exitOf(onPty.relay, 10_000);
});
