import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { startDaemon } from '../helpers/kit.js';
import { until } from '../helpers/wait.js';

const PROJECT = `services:
  missing:
    command: no-such-command-tend-test
  noexec:
    command: ./not-executable.sh
  oom:
    command: kill -9 $$
  once:
    command: "true"
`;

interface PsService {
  name: string;
  state: string;
  exitCode: number | null;
}

async function allExited(box: Sandbox): Promise<void> {
  await until('every service to have exited', async () => {
    const r = await box.cli(['ps', '--json']);
    const services = (JSON.parse(r.stdout) as { services: PsService[] }).services;
    return services.every((s) => s.state === 'exited');
  });
}

test('ps and the daemon log explain exit codes 127, 126 and SIGKILL, and a completed one-shot is READY done', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': PROJECT, 'not-executable.sh': 'echo hi\n' });
  const daemon = await startDaemon(box);
  await allExited(box);
  const r = await box.cli(['ps']);
  assert.equal(r.code, 0, r.stderr);
  const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(name + ' ')) ?? '';
  assert.match(row('missing'), /code 127 \(command not found\)/);
  assert.match(row('noexec'), /code 126 \(not executable\)/);
  assert.match(row('oom'), /SIGKILL \(out of memory\?\)/);
  assert.match(row('once'), /\bdone\b/);
  assert.doesNotMatch(row('once'), /\bno\b/);
  assert.match(r.stdout, /missing: exited with code 127 \(command not found\)/);
  const log = readFileSync(daemon.logFile, 'utf8');
  assert.match(log, /\[missing\] exited with code 127 \(command not found\)/);
  assert.match(log, /\[noexec\] exited with code 126 \(not executable\)/);
  assert.match(log, /\[oom\] killed by SIGKILL \(out of memory\?\)/);
});

test('start --wait names a command that was not found', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': 'services:\n  missing:\n    command: no-such-command-tend-test\n' });
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /service missing: exited with code 127 \(command not found\)/);
});
