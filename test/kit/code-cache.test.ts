import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CodeCacheUse } from '../../src/kit/code-cache.js';

const RUNNER = fileURLToPath(new URL('../fixtures/kit/run-cached.ts', import.meta.url));

interface Box {
  root: string;
  program: string;
  /** One fresh process (V8 keeps compiled code per process): how the program was compiled. */
  run: (build?: string, options?: { save?: boolean; root?: string }) => CodeCacheUse;
  caches: () => string[];
}

// A program that says it ran, and needs its own require.
function box(t: TestContext): Box {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tend-code-cache-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'state');
  mkdirSync(root, { mode: 0o700 });
  const program = join(dir, 'program.js');
  writeFileSync(program, "const { join } = require('node:path'); globalThis.__ran = 1; module.exports = { join };\n");
  return {
    root,
    program,
    run: (build = 'b1', options = {}) => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', RUNNER, program, options.root ?? root, build, options.save ? 'save' : ''], { encoding: 'utf8' });
      const [use, ran] = out.trim().split(' ');
      assert.equal(ran, '1', 'the program ran');
      return use as CodeCacheUse;
    },
    caches: () => (existsSync(join(root, '.code-cache')) ? readdirSync(join(root, '.code-cache')) : []),
  };
}

test('a run compiles without a cache and writes none; saveCodeCache writes it, private; the next run uses it', (t) => {
  const b = box(t);
  assert.equal(b.run(), 'none');
  assert.deepEqual(b.caches(), [], 'nothing written without saveCodeCache');
  assert.equal(b.run('b1', { save: true }), 'none');
  const [file, ...more] = b.caches();
  assert.deepEqual(more, []);
  assert.match(file!, new RegExp(`^tool-1\\.0\\.0-node${process.versions.node}-${process.arch}-b1-`));
  assert.equal(statSync(join(b.root, '.code-cache', file!)).mode & 0o777, 0o600);
  assert.equal(statSync(join(b.root, '.code-cache')).mode & 0o777, 0o700);
  assert.equal(b.run(), 'used');
  const written = statSync(join(b.root, '.code-cache', file!)).mtimeMs;
  assert.equal(b.run('b1', { save: true }), 'used');
  assert.equal(statSync(join(b.root, '.code-cache', file!)).mtimeMs, written, 'a used cache is not rewritten');
});

test('another build, or a changed program file, has its own cache; saving it removes the old one', (t) => {
  const b = box(t);
  b.run('b1', { save: true });
  const [old] = b.caches();
  assert.equal(b.run('b2', { save: true }), 'none');
  assert.equal(b.caches().length, 1);
  assert.notEqual(b.caches()[0], old);
  const later = new Date(Date.now() + 5_000);
  utimesSync(b.program, later, later);
  assert.equal(b.run('b2'), 'none', 'an edited program is not matched to the old cache');
});

test('a corrupt cache is rejected and rewritten; an untrusted one is never read', (t) => {
  const b = box(t);
  b.run('b1', { save: true });
  const file = join(b.root, '.code-cache', b.caches()[0]!);
  writeFileSync(file, Buffer.alloc(4096, 7));
  assert.equal(b.run('b1', { save: true }), 'rejected');
  assert.equal(b.run(), 'used', 'rewritten after the rejection');
  chmodSync(file, 0o666);
  assert.equal(b.run(), 'none', 'a cache others can write is not read');
  chmodSync(file, 0o600);
  chmodSync(join(b.root, '.code-cache'), 0o777);
  assert.equal(b.run(), 'none', 'nor one in a dir others can write');
});

test('without a state root the program runs without a cache and saves none', (t) => {
  const b = box(t);
  assert.equal(b.run('b1', { save: true, root: '-' }), 'none');
  assert.deepEqual(b.caches(), []);
});

test('the files the program requires from its own dir get a cache each, one copy each; a FIFO in place of a cache is never waited on', (t) => {
  const b = box(t);
  const dir = join(b.program, '..');
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, 'vendor', 'dep.js'), "exports.made = (exports.made ?? 0) + 1; exports.peer = require('./peer.js');\n");
  writeFileSync(join(dir, 'vendor', 'peer.js'), "module.exports = { dep: require('./dep.js') };\n");
  writeFileSync(b.program, "const a = require('./vendor/dep.js'); const again = require('./vendor/dep.js');\nif (a !== again || a.made !== 1 || a.peer.dep !== a) throw new Error('two copies');\nglobalThis.__ran = 1;\n");
  assert.equal(b.run('b1', { save: true }), 'none');
  const names = b.caches().sort();
  assert.equal(names.length, 3, names.join(' '));
  assert.ok(names.some((n) => n.includes('-vendor_dep.js-')) && names.some((n) => n.includes('-vendor_peer.js-')) && names.some((n) => n.includes('-program.js-')), names.join(' '));
  assert.equal(b.run(), 'used');
  const peer = join(b.root, '.code-cache', names.find((n) => n.includes('-vendor_peer.js-'))!);
  rmSync(peer);
  execFileSync('mkfifo', ['-m', '600', peer]);
  // A FIFO with no writer would block a plain read forever: this run must finish.
  assert.equal(b.run('b1', { save: true }), 'used');
  assert.ok(statSync(peer).isFile(), 'the FIFO was replaced by a cache');
});

test('a cache with one bit flipped in its payload is ignored and rewritten (V8 would abort the process on it)', (t) => {
  const b = box(t);
  b.run('b1', { save: true });
  const file = join(b.root, '.code-cache', b.caches()[0]!);
  for (const offset of [200, 1000]) {
    const bytes = readFileSync(file);
    if (offset >= bytes.length) continue;
    bytes[offset] = bytes[offset]! ^ 1;
    writeFileSync(file, bytes);
    // execFileSync throws if the process aborts.
    assert.equal(b.run('b1', { save: true }), 'rejected', `bit ${offset} flipped`);
    assert.equal(b.run(), 'used', 'rewritten whole');
  }
});
