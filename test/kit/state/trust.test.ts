import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, fstatSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { readMetadata } from '../../../src/kit/state/metadata.js';
import { readOwner } from '../../../src/kit/state/owner.js';
import { checkTrusted, checkTrustedFile } from '../../../src/kit/state/trust.js';

const isRoot = process.getuid?.() === 0;

/** `<tmp>/box/state/inst`, all 0700 and ours. */
function layout(t: TestContext): { box: string; root: string; inst: string } {
  const box = mkdtempSync(join(tmpdir(), 'tend-trust-'));
  t.after(() => rmSync(box, { recursive: true, force: true }));
  const root = join(box, 'state');
  const inst = join(root, 'inst');
  mkdirSync(inst, { recursive: true, mode: 0o700 });
  return { box, root, inst };
}

test('checkTrusted: a private dir of ours is ok; a missing one is "missing", not an error', (t) => {
  const { root, inst } = layout(t);
  assert.equal(checkTrusted(root, inst), 'ok');
  assert.equal(checkTrusted(root, join(inst, 'services')), 'missing');
  assert.equal(checkTrusted(join(root, 'absent'), join(root, 'absent', 'x')), 'missing');
});

test('checkTrusted refuses group/world-writable dirs, symlinks and paths outside the root, saying the fix', (t) => {
  const { box, root, inst } = layout(t);
  chmodSync(inst, 0o770);
  assert.throws(() => checkTrusted(root, inst), new RegExp(`the state dir ${inst} is writable by others; fix it with: chmod go-w ${inst}`));
  chmodSync(inst, 0o700);
  chmodSync(root, 0o1777);
  assert.throws(() => checkTrusted(root, inst), /writable by others/, 'a sticky state root of ours is still refused');
  chmodSync(root, 0o700);
  const link = join(box, 'link');
  symlinkSync(root, link);
  assert.throws(() => checkTrusted(link, join(link, 'inst'), { name: 'my-tool' }), /is a symbolic link; remove it .*MY_TOOL_STATE_DIR/);
  symlinkSync(inst, join(root, 'inst2'));
  assert.throws(() => checkTrusted(root, join(root, 'inst2')), /inst2 is a symbolic link/);
  assert.throws(() => checkTrusted(root, box), /is not under the state root/);
});

test('checkTrusted refuses a world-writable, non-sticky dir above the root, and accepts a sticky one (/tmp)', (t) => {
  const { box, root, inst } = layout(t);
  chmodSync(box, 0o1777);
  assert.equal(checkTrusted(root, inst), 'ok');
  chmodSync(box, 0o777);
  assert.throws(() => checkTrusted(root, inst), /above the state dir, is writable by everyone and not sticky; fix it with: chmod \+t/);
  chmodSync(box, 0o700);
});

test('checkTrusted and the readers refuse dirs and files of another user', { skip: !isRoot && 'needs root to chown' }, (t) => {
  const { root, inst } = layout(t);
  writeFileSync(join(inst, 'daemon.owner.json'), JSON.stringify({ pid: process.pid, instanceId: 'x' }));
  assert.equal(readOwner(join(inst, 'daemon.owner.json'))?.pid, process.pid);
  chownSync(join(inst, 'daemon.owner.json'), 65534, 65534);
  assert.throws(() => readOwner(join(inst, 'daemon.owner.json')), /daemon\.owner\.json belongs to uid 65534, not you \(uid 0\); remove it/);
  chownSync(inst, 65534, 65534);
  assert.throws(() => readMetadata(join(inst, 'daemon.json')), /the state dir \S+inst belongs to uid 65534/, 'even a missing file: the dir is not ours');
  chownSync(inst, 0, 0);
  chownSync(root, 65534, 65534);
  assert.throws(() => checkTrusted(root, inst), /the state dir \S+state belongs to uid 65534, not you \(uid 0\); remove it or set TEND_STATE_DIR/);
});

test('checkTrustedFile: only a regular file of ours, not writable by others', (t) => {
  const { inst } = layout(t);
  const file = join(inst, 'f');
  writeFileSync(file, 'x', { mode: 0o600 });
  const stat = (f: string) => {
    const fd = openSync(f, 'r');
    try {
      return fstatSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  checkTrustedFile(file, stat(file));
  chmodSync(file, 0o666);
  assert.throws(() => checkTrustedFile(file, stat(file)), /is writable by others; fix it with: chmod go-w/);
  assert.throws(() => checkTrustedFile(inst, stat(inst)), /is not a regular file/);
});

test('readers treat a symlink, a directory or a FIFO in a trusted dir as garbage (invalid), never followed or waited on', (t) => {
  const { box, inst } = layout(t);
  const victim = join(box, 'victim.json');
  writeFileSync(victim, '{"schema":1}');
  symlinkSync(victim, join(inst, 'daemon.json'));
  assert.deepEqual(readMetadata(join(inst, 'daemon.json')), { kind: 'invalid', reason: 'it is a symbolic link' });
  rmSync(join(inst, 'daemon.json'));
  mkdirSync(join(inst, 'daemon.json'));
  assert.deepEqual(readMetadata(join(inst, 'daemon.json')), { kind: 'invalid', reason: 'it is a directory' });
  rmSync(join(inst, 'daemon.json'), { recursive: true });
  // mkfifo through the shell: node has no mkfifo.
  execFileSync('mkfifo', [join(inst, 'daemon.json')]);
  assert.deepEqual(readMetadata(join(inst, 'daemon.json')), { kind: 'invalid', reason: 'it is not a regular file' });
});
