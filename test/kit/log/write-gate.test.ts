import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countLines, describeOutage, WriteGate } from '../../../src/kit/log/write-gate.js';

const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

test('a failed write closes the gate until the retry is due, doubling up to the cap, and counts every dropped line', () => {
  let now = 1_000;
  const gate = new WriteGate({ retryMs: 100, maxRetryMs: 300, clock: () => now });
  assert.equal(gate.open, true);
  assert.equal(gate.drop(3, 30, enospc), true, 'the first failure begins an outage');
  assert.equal(gate.open, false);
  gate.drop(5, 50); // dropped while closed: counted, no new delay
  now += 99;
  assert.equal(gate.open, false);
  now += 1;
  assert.equal(gate.open, true, 'the retry is due after 100 ms');
  assert.equal(gate.drop(1, 10, enospc), false, 'a failed retry is the same outage');
  now += 199;
  assert.equal(gate.open, false, 'the second delay is 200 ms');
  now += 1;
  gate.drop(1, 10, enospc);
  now += 300;
  assert.equal(gate.open, true, 'capped at 300 ms');
  const outage = gate.recovered();
  assert.deepEqual({ lines: outage?.lines, bytes: outage?.bytes, reason: outage?.reason }, { lines: 10, bytes: 100, reason: 'ENOSPC: no space left on device' });
  assert.equal(gate.droppedLines, 10);
  assert.equal(gate.recovered(), null, 'reported once');
  assert.match(describeOutage(outage!), /^10 line\(s\) \(0\.1 kB\) could not be written between .* \(ENOSPC: no space left on device\)$/);
  gate.drop(1, 1, enospc);
  now += 100;
  assert.equal(gate.open, true, 'a new outage starts again from the first delay');
});

test('countLines counts newlines, and an unterminated tail as a line', () => {
  assert.equal(countLines(Buffer.from('a\nb\n')), 2);
  assert.equal(countLines('a\nb'), 2);
  assert.equal(countLines(''), 0);
});
