import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { inspectProcess, parseProcStat, readProcStat } from '../../../src/kit/process/process-info.js';

/** A /proc/PID/stat line: pid, (comm), then fields 3..52 with state, ppid, pgrp, session and starttime (22) set. */
function statLine(comm: string, fields: { state?: string; ppid?: number; pgid?: number; sid?: number; startTime?: string } = {}): string {
  const rest = Array.from({ length: 50 }, (_, i) => String(i + 3));
  rest[0] = fields.state ?? 'S';
  rest[1] = String(fields.ppid ?? 1);
  rest[2] = String(fields.pgid ?? 4242);
  rest[3] = String(fields.sid ?? 4242);
  rest[19] = fields.startTime ?? '987654';
  return `4242 (${comm}) ${rest.join(' ')}\n`;
}

test('parseProcStat reads state, ppid, pgid, sid and the start time (field 22)', () => {
  assert.deepEqual(parseProcStat(statLine('node', { state: 'R', ppid: 7, pgid: 8, sid: 9, startTime: '31337' })), {
    pid: 4242,
    state: 'R',
    ppid: 7,
    pgid: 8,
    sid: 9,
    startTime: '31337',
  });
});

test('parseProcStat copes with a command name holding spaces and parentheses', () => {
  for (const comm of ['tend daemon', 'a) b (c', ') S 1 2 3', '((', 'x)']) {
    const stat = parseProcStat(statLine(comm, { state: 'Z', startTime: '555' }));
    assert.ok(stat, comm);
    assert.equal(stat.state, 'Z', comm);
    assert.equal(stat.startTime, '555', comm);
    assert.equal(stat.pid, 4242, comm);
  }
});

test('parseProcStat returns null for text that is not a stat line', () => {
  assert.equal(parseProcStat(''), null);
  assert.equal(parseProcStat('4242 node S 1'), null);
  assert.equal(parseProcStat('4242 (node) S 1 2 3'), null);
});

test('readProcStat parses this very process and says null for a pid that does not exist', () => {
  const me = readProcStat(process.pid);
  assert.ok(me && me !== 'no-proc');
  assert.equal(me.pid, process.pid);
  assert.equal(me.ppid, process.ppid);
  assert.equal(readProcStat(2 ** 22 + 1), null); // above pid_max's ceiling: never a live pid
});

test('inspectProcess counts a zombie as dead', async (t) => {
  // `sleep 0` exits at once, and the shell exec's into a sleep that never
  // reaps it: a zombie for as long as that parent lives.
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => void parent.kill('SIGKILL'));
  const zombie = await new Promise<number>((resolve) => parent.stdout!.once('data', (c) => resolve(Number(String(c).trim()))));
  const deadline = Date.now() + 10_000;
  let stat = readProcStat(zombie);
  while (!(stat && stat !== 'no-proc' && stat.state === 'Z') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    stat = readProcStat(zombie);
  }
  assert.ok(stat && stat !== 'no-proc' && stat.state === 'Z', 'the child never became a zombie');
  assert.doesNotThrow(() => process.kill(zombie, 0), 'kill(pid, 0) succeeds on a zombie');
  assert.deepEqual(inspectProcess(zombie), { kind: 'dead' });
});

test('inspectProcess says alive, with its start time, for a live process', () => {
  const me = inspectProcess(process.pid);
  assert.equal(me.kind, 'alive');
  assert.match(me.kind === 'alive' ? String(me.startTime) : '', /^\d+$/);
});
