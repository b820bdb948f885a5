import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { freePort } from '../helpers/ports.js';

test('start --wait past its deadline names the service not ready, its state and the last probe error', async (t) => {
  const port = await freePort(); // nothing listens there: the probe keeps failing
  const box = makeSandbox(t, {
    'tend.yaml': [
      'services:',
      '  db:',
      '    command: sleep 300',
      '  web:',
      '    command: sleep 300',
      '    depends_on: [db]',
      `    ready: { tcp: ${port}, interval: 100ms, retries: 1000 }`,
      '',
    ].join('\n'),
  });
  const r = await box.cli(['start', '--wait', '--wait-timeout', '2']);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /Unexpected error/);
  assert.match(r.stderr, /service web is not ready after 2 s: state starting/);
  assert.match(r.stderr, new RegExp(`last probe error: tcp 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
  assert.equal((await box.cli(['stop'])).code, 0);
});
