import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { backwardLines, forwardLines } from '../../../src/kit/log/log-lines.js';
import { DAEMON_LOG_FORMAT, type LogRecord } from '../../../src/kit/log/log-record.js';
import { LogSnapshot } from '../../../src/kit/log/log-source.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-log-source-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const iso = (ms: number) => new Date(ms).toISOString();

test('lines read forwards and backwards in tiny chunks are the file\'s lines, multi-byte text intact', (t) => {
  const file = join(tempDir(t), 'x');
  const text = 'alpha\n\nbeta ünïcödé ✓\ngamma without newline';
  writeFileSync(file, text);
  const fd = openSync(file, 'r');
  t.after(() => closeSync(fd));
  const expected = text.split('\n');
  for (const chunk of [1, 2, 3, 7, 64 * 1024]) {
    const fwd = [...forwardLines(fd, 0, Buffer.byteLength(text), chunk)];
    assert.deepEqual(fwd.map((l) => l.text), expected, `forwards, chunk ${chunk}`);
    assert.deepEqual(fwd.map((l) => l.offset), [0, 6, 7, 28].map((o) => o), `offsets, chunk ${chunk}`);
    const back = [...backwardLines(fd, Buffer.byteLength(text), chunk)].map((l) => l.text);
    assert.deepEqual(back, [...expected].reverse(), `backwards, chunk ${chunk}`);
  }
});

test('a snapshot finds --since by binary search inside a big file and skips older rotated files', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'daemon.log');
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  // Three files of 20,000 lines each, one second apart: ~1 MB each, far past the search's stop size.
  const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `${iso(t0 + (from + i) * 1000)} line ${from + i}\n`).join('');
  writeFileSync(`${file}.2`, lines(0, 20_000));
  writeFileSync(`${file}.1`, lines(20_000, 20_000));
  writeFileSync(file, lines(40_000, 20_000));
  const snapshot = LogSnapshot.open<LogRecord>(file, DAEMON_LOG_FORMAT);
  t.after(() => snapshot.close());
  for (const at of [0, 1, 12_345, 19_999, 20_000, 33_333, 59_999]) {
    const first = snapshot.from(t0 + at * 1000).next().value as LogRecord;
    assert.equal(first.text, `line ${at}`, `since line ${at}`);
  }
  assert.equal(snapshot.from(t0 + 60_000 * 1000).next().done, true, 'nothing after the end');
  const last = snapshot.last(3, () => 'take');
  assert.deepEqual(last.map((r) => r.text), ['line 59997', 'line 59998', 'line 59999']);
  const across = snapshot.last(20_002, () => 'take');
  assert.equal(across[0]!.text, 'line 39998', '-n reaches into the rotated file');
});

test('a daemon log line without a time (a stack trace) keeps the time of the line before it, read either way', (t) => {
  const file = join(tempDir(t), 'daemon.log');
  writeFileSync(file, `${iso(1000)} one\n${iso(2000)} uncaught exception: Error: boom\n    at a (x.js:1:1)\n    at b (x.js:2:2)\n${iso(3000)} three\n`);
  const snapshot = LogSnapshot.open<LogRecord>(file, DAEMON_LOG_FORMAT);
  t.after(() => snapshot.close());
  const forward = [...snapshot.from()].map((r) => [r.time, r.text]);
  const backward = snapshot.last(10, () => 'take').map((r) => [r.time, r.text]);
  const expected = [
    [1000, 'one'],
    [2000, 'uncaught exception: Error: boom'],
    [2000, '    at a (x.js:1:1)'],
    [2000, '    at b (x.js:2:2)'],
    [3000, 'three'],
  ];
  assert.deepEqual(forward, expected);
  assert.deepEqual(backward, expected);
  assert.deepEqual([...snapshot.from(2000)].map((r) => r.text).slice(0, 2), ['uncaught exception: Error: boom', '    at a (x.js:1:1)']);
});
