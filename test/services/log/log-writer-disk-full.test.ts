import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogWriter } from '../../../src/services/log/log-writer.js';

/** A 64 KiB tmpfs at a temp dir, unmounted in teardown; null where mounts are not possible (not root). */
function tinyDisk(t: import('node:test').TestContext): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'tend-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    rmSync(dir, { recursive: true });
    return null;
  }
  t.after(() => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    rmSync(dir, { recursive: true });
  });
  return dir;
}

test('on a full disk the log writer drops and counts lines, reports once, and resumes on a line of its own', async (t) => {
  const disk = tinyDisk(t);
  if (disk === null) return t.skip('needs root to mount a tmpfs');
  const messages: string[] = [];
  const writer = new LogWriter(join(disk, 'services', 'svc.log'), { maxBytes: 1 << 30, keep: 0 }, (m) => messages.push(m), Date.now, { retryMs: 20, maxRetryMs: 20 });
  const line = (i: number) => `line ${i} ${'x'.repeat(990)}\n`;
  // 200 KiB of output into 64 KiB: most of it cannot be stored.
  for (let i = 0; i < 200; i++) {
    writer.append(Buffer.from(line(i)));
    await writer.flush();
  }
  assert.ok(writer.droppedLines > 100, `${writer.droppedLines} lines counted as dropped`);
  assert.equal(messages.filter((m) => /ENOSPC/.test(m) && /dropping output/.test(m)).length, 1, messages.join('\n'));
  // Space comes back (a filler is what remains once the log is gone): writing resumes by itself.
  rmSync(join(disk, 'services', 'svc.log'));
  writeFileSync(join(disk, 'filler'), 'x');
  await new Promise((r) => setTimeout(r, 30)); // the gate's 20 ms retry delay, the one timed wait here
  writer.append(Buffer.from('after\n'));
  await writer.flush();
  await writer.close();
  assert.equal(readFileSync(join(disk, 'services', 'svc.log'), 'utf8'), 'after\n');
  assert.ok(messages.some((m) => /could not be written between .*; writing again/.test(m)), messages.join('\n'));
});

test('a write cut short by a full disk leaves no half line joined to the next one', async (t) => {
  const disk = tinyDisk(t);
  if (disk === null) return t.skip('needs root to mount a tmpfs');
  const file = join(disk, 'svc.log');
  const writer = new LogWriter(file, { maxBytes: 1 << 30, keep: 0 }, () => {}, Date.now, { retryMs: 10, maxRetryMs: 10 });
  // One block larger than the disk: the kernel writes what fits, then ENOSPC.
  writer.append(Buffer.from(Array.from({ length: 100 }, (_, i) => `block ${i} ${'y'.repeat(1000)}\n`).join('')));
  await writer.flush();
  const kept = readFileSync(file, 'utf8');
  writeFileSync(file, kept.slice(0, kept.length - 500)); // frees space; the file still ends mid-line
  await new Promise((r) => setTimeout(r, 20));
  writer.append(Buffer.from('next\n'));
  await writer.flush();
  await writer.close();
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.equal(lines.at(-2), 'next', 'the line after the outage is whole');
  assert.match(lines.at(-3)!, /^block \d+ y*$/);
});
