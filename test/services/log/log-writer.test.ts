import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../../src/services/log/line-splitter.js';
import { LogWriter } from '../../../src/services/log/log-writer.js';
import { parseServiceLine } from '../../../src/services/log/log-format.js';
import { service, supervise, tempDir, untilState } from '../helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/services/${name}`, import.meta.url));

/** The output lines of stored log text (stamps removed, run markers dropped). */
function outputOf(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => parseServiceLine(line))
    .filter((l) => l !== null && (l.kind === 'stdout' || l.kind === 'stderr'))
    .map((l) => l!.text);
}

/** Checks that `lines` holds exactly `prefix 0` … `prefix count-1`, in order, each intact. */
function assertSequence(lines: string[], prefix: string, count: number): void {
  const pad = 'x'.repeat(40);
  assert.equal(lines.length, count, `${prefix}: ${lines.length} lines instead of ${count}`);
  for (let i = 0; i < count; i++) {
    const expected = `${prefix} ${i} ${pad.slice((i + 1) % 40)}`;
    if (lines[i] !== expected) assert.fail(`${prefix} line ${i}: ${JSON.stringify(lines[i])} instead of ${JSON.stringify(expected)}`);
  }
}

test('200,000 lines per stream arrive complete, whole and in order', async (t) => {
  const count = 200_000;
  const { sup, dir } = supervise(t, [service('flood', [process.execPath, fixture('flood.mjs'), String(count)])]);
  const began = Date.now();
  await sup.start();
  await untilState(sup, 'flood', 'exited', 60_000);
  await sup.close();
  const elapsed = Date.now() - began;
  const file = join(dir, 'services', 'flood.log');
  // ~22 MB: the default rotation (10 MiB, keep 3) has cut it into files.
  const files = [`${file}.2`, `${file}.1`, file].filter((f) => existsSync(f));
  assert.equal(existsSync(`${file}.3`), false);
  const text = files.map((f) => readFileSync(f, 'utf8')).join('');
  assert.ok(text.endsWith('\n'), 'the file ends with a newline');
  assert.equal(text.split('\n').length - 1, 2 * count + 2, 'every line stored once, plus the run\'s start and end markers');
  const lines = outputOf(text);
  assertSequence(lines.filter((l) => l.startsWith('out ')), 'out', count);
  assertSequence(lines.filter((l) => l.startsWith('err ')), 'err', count);
  assert.equal(lines.length, 2 * count, 'no stray or merged lines');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  t.diagnostic(`${2 * count} lines in ${elapsed} ms`);
});

test('rotation happens at line boundaries and keeps the configured number of files', async (t) => {
  const maxBytes = 1_000;
  const { sup, dir } = supervise(t, [service('rot', [process.execPath, fixture('lines.mjs'), '400'])], {
    logRotation: { maxBytes, keep: 100 },
  });
  await sup.start();
  await untilState(sup, 'rot', 'exited');
  await sup.close();
  const base = join(dir, 'services', 'rot.log');
  const rotated = readdirSync(join(dir, 'services')).filter((f) => f.startsWith('rot.log.')).length;
  assert.ok(rotated > 10, `only ${rotated} rotated files`);
  let all = '';
  for (let i = rotated; i >= 1; i--) {
    const content = readFileSync(`${base}.${i}`, 'utf8');
    assert.ok(content.endsWith('\n'), `rot.log.${i} ends mid-line`);
    assert.ok(Buffer.byteLength(content) <= maxBytes, `rot.log.${i} is ${Buffer.byteLength(content)} bytes`);
    assert.equal(statSync(`${base}.${i}`).mode & 0o777, 0o600);
    all += content;
  }
  all += readFileSync(base, 'utf8');
  const expected = Array.from({ length: 400 }, (_, i) => `line ${i} ${'y'.repeat((i * 37) % 90)}`);
  assert.deepEqual(outputOf(all), expected);
  assert.deepEqual(sup.logTail('rot', 3), ['line 397 ' + 'y'.repeat((397 * 37) % 90), 'line 398 ' + 'y'.repeat((398 * 37) % 90), 'line 399 ' + 'y'.repeat((399 * 37) % 90)]);
});

test('rotation drops files beyond keep', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'services', 'x.log');
  const writer = new LogWriter(file, { maxBytes: 100, keep: 2 });
  for (let i = 0; i < 50; i++) writer.append(Buffer.from(`entry ${i} ----------\n`));
  await writer.close();
  assert.ok(existsSync(`${file}.1`) && existsSync(`${file}.2`));
  assert.equal(existsSync(`${file}.3`), false);
  assert.match(readFileSync(file, 'utf8'), /entry 49 -+\n$/);
});

test('a line longer than maxBytes is written whole into a file of its own', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'long.log');
  const writer = new LogWriter(file, { maxBytes: 50, keep: 5 });
  writer.append(Buffer.from('short\n'));
  writer.append(Buffer.from(`${'z'.repeat(120)}\nafter\n`));
  await writer.close();
  assert.equal(readFileSync(`${file}.2`, 'utf8'), 'short\n');
  assert.equal(readFileSync(`${file}.1`, 'utf8'), `${'z'.repeat(120)}\n`);
  assert.equal(readFileSync(file, 'utf8'), 'after\n');
});

test('stdout and stderr are split into lines separately and never interleave mid-line', async (t) => {
  const dir = tempDir(t);
  const writer = new LogWriter(join(dir, 'mix.log'));
  const seen: string[] = [];
  const out = Readable.from([Buffer.from('out-a'), Buffer.from('1\nout-b'), Buffer.from('2\n')], { objectMode: false });
  const err = Readable.from([Buffer.from('err-a'), Buffer.from('1\nerr-'), Buffer.from('b2')], { objectMode: false });
  writer.attach(out, 'stdout', (stream, block) => seen.push(`${stream}:${block.toString()}`));
  writer.attach(err, 'stderr');
  await writer.close();
  const stored = readFileSync(join(dir, 'mix.log'), 'utf8').split('\n').filter(Boolean).map((l) => parseServiceLine(l)!);
  assert.deepEqual(stored.map((l) => `${l.kind}:${l.text}`).sort(), ['stderr:err-a1', 'stderr:err-b2', 'stdout:out-a1', 'stdout:out-b2']);
  assert.deepEqual(seen, ['stdout:out-a1\n', 'stdout:out-b2\n']);
});

test('a producer faster than the disk is paused, not buffered without bound, and loses nothing', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'fast.log');
  const writer = new LogWriter(file, { maxBytes: 1024 ** 3, keep: 1 });
  const line = `${'q'.repeat(99)}\n`;
  const chunk = Buffer.from(line.repeat(640)); // 64 KB
  let sent = 0;
  const source = new Readable({
    read() {
      // Synchronous and endless until 32 MB: only pausing can hold it back.
      let more = true;
      while (more && sent < 512) {
        sent++;
        more = this.push(chunk);
      }
      if (sent >= 512) this.push(null);
    },
  });
  let pauses = 0;
  source.on('pause', () => pauses++);
  writer.attach(source, 'stdout');
  await writer.close();
  assert.ok(pauses > 0, 'the source was never paused');
  const lines = outputOf(readFileSync(file, 'latin1'));
  assert.equal(lines.length, 512 * 640);
  assert.ok(lines.every((l) => l === line.slice(0, -1)));
});

test('tail() sees lines queued, being written, and written, each once', async (t) => {
  const writer = new LogWriter(join(tempDir(t), 'tail.log'));
  writer.append(Buffer.from('a\n'));
  assert.deepEqual(writer.tail(5), ['a'], 'while its write is in flight');
  writer.append(Buffer.from('b\nc\n'));
  assert.deepEqual(writer.tail(5), ['a', 'b', 'c'], 'while queued behind it');
  await writer.flush();
  assert.deepEqual(writer.tail(5), ['a', 'b', 'c']);
  assert.deepEqual(writer.tail(2), ['b', 'c']);
  await writer.close();
});

test('the line splitter cuts a runaway line instead of holding it forever', () => {
  const splitter = new LineSplitter(10);
  assert.equal(splitter.push(Buffer.from('12345')), null);
  assert.equal(splitter.push(Buffer.from('67890abc'))?.toString(), '1234567890abc\n');
  assert.equal(splitter.push(Buffer.from('a\nb'))?.toString(), 'a\n');
  assert.equal(splitter.end()?.toString(), 'b\n');
  assert.equal(splitter.end(), null);
});

test('the output hook gets every whole line with its stream', async (t) => {
  const got: string[] = [];
  const { sup } = supervise(t, [service('echo', 'echo one; echo two >&2; printf three')], {
    output: (name, kind, text, at) => got.push(`${name} ${at.run} ${kind} ${kind === 'start' ? 'pid' : text}`),
  });
  await sup.start();
  await untilState(sup, 'echo', 'exited');
  await sup.close();
  assert.equal(got[0], 'echo 1 start pid', 'the run starts first');
  assert.equal(got.at(-1), 'echo 1 exit code=0', 'and ends after its last line');
  assert.deepEqual(got.slice(1, -1).sort(), ['echo 1 stderr two', 'echo 1 stdout one', 'echo 1 stdout three']);
});
