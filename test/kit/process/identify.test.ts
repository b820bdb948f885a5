import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { daemonRecord, identify } from '../../../src/kit/process/identify.js';
import { processStartTime } from '../../../src/kit/process/process-info.js';

test('identify tells the recorded process from a reused pid, a dead one and an unknown start time', async () => {
  const start = processStartTime(process.pid);
  assert.equal(identify({ pid: process.pid, startTime: start, bootId: null }), 'same');
  assert.equal(identify({ pid: process.pid, startTime: String(BigInt(start!) + 1n), bootId: null }), 'other');
  assert.equal(identify({ pid: process.pid, startTime: null, bootId: null }), 'alive');
  const child = spawn('true');
  const pid = child.pid!;
  await once(child, 'exit');
  assert.equal(identify({ pid, startTime: '1', bootId: null }), 'dead');
});

test('daemonRecord reads the records daemon.json and the owner record keep', () => {
  assert.deepEqual(daemonRecord({ pid: 7, processStartTime: '42', bootId: 'b' }), { pid: 7, startTime: '42', bootId: 'b' });
});
