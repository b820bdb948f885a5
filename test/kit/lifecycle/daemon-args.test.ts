import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAEMON_COMMAND, DAEMON_V8_FLAGS, daemonArgs } from '../../../src/kit/lifecycle/daemon-args.js';

test('the daemon is spawned with its own V8 flags first, then the CLI execArgv (which wins), then the same entry in daemon mode', () => {
  const args = daemonArgs('/tmp/project', { host: '127.0.0.1', port: 0 });
  const entry = args.indexOf(process.argv[1]!);
  assert.ok(entry >= DAEMON_V8_FLAGS.length, args.join(' '));
  assert.deepEqual(args.slice(0, DAEMON_V8_FLAGS.length), [...DAEMON_V8_FLAGS]);
  assert.ok(DAEMON_V8_FLAGS.includes('--max-semi-space-size=1'));
  assert.equal(args.length - entry - 1 > 0 && args[entry + 1], DAEMON_COMMAND);
  assert.deepEqual(args.slice(entry + 2), ['--dir', '/tmp/project', '--host', '127.0.0.1', '--port', '0']);
});
