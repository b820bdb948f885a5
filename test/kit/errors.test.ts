import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeForErrno, DaemonError, ERROR_CODES, InputError, toDaemonError } from '../../src/kit/errors.js';
import { exitCodeFor } from '../../src/kit/exit-codes.js';

test('every error code has its exit code in the one table: 2 bad input, 3 not running, 4 unknown, 1 the rest', () => {
  const special: Record<string, number> = { BAD_INPUT: 2, NOT_RUNNING: 3, STALE: 3, STATE_UNKNOWN: 4, NOT_ANSWERING: 4 };
  for (const code of ERROR_CODES) assert.equal(exitCodeFor(code), special[code] ?? 1, code);
  assert.equal(new DaemonError('NOT_RUNNING', 'x').exitCode, 3);
  assert.equal(new InputError('bad flag').exitCode, 2);
});

test('a system error becomes a closed code, its errno kept as the cause', () => {
  const listen = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4100'), { code: 'EADDRINUSE' });
  const e = toDaemonError(listen, 'START_FAILED');
  assert.equal(e.code, 'PORT_IN_USE');
  assert.equal(e.errno, 'EADDRINUSE');
  assert.equal(e.cause, listen);
  assert.equal(e.message, listen.message);
  assert.equal(toDaemonError(Object.assign(new Error('x'), { code: 'EWEIRD' }), 'START_FAILED').code, 'START_FAILED');
  assert.equal(codeForErrno('ENOSPC', 'START_FAILED'), 'DISK_FULL');
  const wrapped = new DaemonError('LOCK_FAILED', 'taking the lock', { cause: Object.assign(new Error('r/o'), { code: 'EROFS' }) });
  assert.equal(toDaemonError(wrapped, 'START_FAILED'), wrapped, 'a DaemonError is kept as it is');
  assert.equal(wrapped.errno, 'EROFS');
});
