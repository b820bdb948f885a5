import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';

const yaml = (stop: string) => `services:\n  a:\n    command: sleep 1000\n    stop_timeout: ${stop}\n  b:\n    command: sleep 1000\n    depends_on: [a]\n    stop_timeout: 2s\n`;

test('daemon.json publishes the stop budget (drain, then each batch of the stop order), and reload updates it', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': yaml('3s') });
  assert.equal((await box.cli(['start', '--wait'])).code, 0);
  // 5 s drain + b (2 s) + a (3 s), plus 1 s per batch for SIGKILL.
  assert.equal(box.metadata()?.stopTimeoutMs, 5_000 + 2_000 + 3_000 + 2 * 1_000);
  box.write('tend.yaml', yaml('20s'));
  assert.equal((await box.cli(['reload'])).code, 0);
  assert.equal(box.metadata()?.stopTimeoutMs, 5_000 + 2_000 + 20_000 + 2 * 1_000);
  assert.equal((await box.cli(['stop'])).code, 0);
});
