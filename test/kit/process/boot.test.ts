import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identify } from '../../../src/kit/process/identify.js';
import { ownerAlive } from '../../../src/kit/state/lock.js';
import { bootId, processStartTime, sameBoot } from '../../../src/kit/process/process-info.js';

const OTHER_BOOT = '00000000-0000-0000-0000-000000000000';

test('a record from another boot never names a live process, even with a matching pid and start time', (t) => {
  if (bootId() === null) return t.skip('no boot id on this system');
  const start = processStartTime(process.pid);
  assert.equal(identify({ pid: process.pid, startTime: start, bootId: bootId() }), 'same');
  assert.equal(identify({ pid: process.pid, startTime: start, bootId: OTHER_BOOT }), 'other');
  assert.equal(ownerAlive({ pid: process.pid, processStartTime: start, bootId: OTHER_BOOT, instanceId: 'x' }), false);
  assert.equal(ownerAlive({ pid: process.pid, processStartTime: start, bootId: bootId(), instanceId: 'x' }), true);
});

test('an unknown boot id (old records, systems without one) falls back to pid and start time', () => {
  assert.equal(sameBoot(null), true);
  assert.equal(identify({ pid: process.pid, startTime: processStartTime(process.pid), bootId: null }), 'same');
});
