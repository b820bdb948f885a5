import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { FifoMaker } from '../../../src/services/process/fifo-maker.js';
import { discardPipes, openOutputPipes } from '../../../src/services/process/output-pipes.js';

const REAL_MKFIFO = spawnSync('sh', ['-c', 'command -v mkfifo'], { encoding: 'utf8' }).stdout.trim();

function dir(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'tend-fifo-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** An mkfifo that logs each call and waits for `gate` to exist first (so the caller's loop must keep turning). */
function gatedMkfifo(d: string): { command: string; calls: () => string[]; open: () => void } {
  const command = join(d, 'mkfifo');
  const log = join(d, 'calls');
  const gate = join(d, 'gate');
  writeFileSync(log, '');
  writeFileSync(command, `#!/bin/sh\necho "$*" >> ${log}\nwhile [ ! -e ${gate} ]; do sleep 0.01; done\nexec ${REAL_MKFIFO} "$@"\n`);
  chmodSync(command, 0o755);
  return { command, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean), open: () => writeFileSync(gate, '') };
}

test('requests of one turn share one mkfifo call, which runs while the event loop keeps turning', async (t) => {
  const d = dir(t);
  const fake = gatedMkfifo(d);
  const maker = new FifoMaker({ command: fake.command });
  const files = ['a', 'b', 'c', 'd'].map((n) => join(d, n));
  let made = 0;
  const both = [maker.make(files.slice(0, 2)), maker.make(files.slice(2))].map((p) => p.then(() => void made++));
  // The loop turns while mkfifo waits on its gate: the test itself opens it, from a timer.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      if (fake.calls().length === 0) return;
      clearInterval(tick);
      resolve();
    }, 5);
  });
  assert.equal(made, 0, 'make() resolved before mkfifo ran');
  fake.open();
  await Promise.all(both);
  assert.deepEqual(fake.calls(), [`-m 600 ${files.join(' ')}`]);
  for (const f of files) assert.ok(lstatSync(f).isFIFO(), `${f} is a FIFO`);
  assert.equal(lstatSync(files[0]!).mode & 0o777, 0o600);
});

test('without mkfifo, openOutputPipes gives null (the caller falls back to socketpairs) and leaves no file', async (t) => {
  const d = dir(t);
  const pipes = await openOutputPipes(d, new FifoMaker({ command: join(d, 'no-such-mkfifo') }));
  assert.equal(pipes, null);
  assert.deepEqual(spawnSync('ls', ['-A', d], { encoding: 'utf8' }).stdout, '');
});

test('openOutputPipes gives two real pipes and unlinks their FIFOs at once', async (t) => {
  const d = dir(t);
  const pipes = await openOutputPipes(d, new FifoMaker());
  assert.ok(pipes);
  t.after(() => discardPipes(pipes));
  assert.deepEqual(spawnSync('ls', ['-A', d], { encoding: 'utf8' }).stdout, '');
  const got = new Promise<string>((resolve) => pipes.stdout.reader.once('data', (c: Buffer) => resolve(c.toString())));
  writeFileSync(`/proc/self/fd/${pipes.stdout.writeFd}`, 'through the pipe\n');
  assert.equal(await got, 'through the pipe\n');
});
