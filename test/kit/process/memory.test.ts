import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryReader } from '../../../src/kit/process/memory.js';

/** True when a and b differ by less than `share` of b. */
const near = (a: number, b: number, share: number) => Math.abs(a - b) < b * share;

test('memoryReader gives the figures process.memoryUsage gives', () => {
  const read = memoryReader();
  const ours = read();
  const node = process.memoryUsage();
  assert.ok(near(ours.rss, node.rss, 0.05), `rss ${ours.rss} vs memoryUsage ${node.rss}`);
  assert.ok(near(ours.heapTotal, node.heapTotal, 0.1), `heapTotal ${ours.heapTotal} vs ${node.heapTotal}`);
  assert.ok(ours.heapUsed > 0 && ours.heapUsed <= ours.heapTotal);
  assert.ok(ours.external > 0);
});

test('memoryReader reads live on every call: memory touched since the last call shows at once', () => {
  const read = memoryReader();
  const before = read().rss;
  const block = Buffer.alloc(64 * 1024 * 1024, 1); // written, so resident
  const after = read().rss;
  assert.ok(after - before > 48 * 1024 * 1024, `rss grew by ${after - before} bytes only`);
  assert.equal(block[block.length - 1], 1);
});

test('memoryReader falls back to process.memoryUsage without a readable statm, or with one it does not understand', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-test-memory-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const garbage = join(dir, 'statm');
  writeFileSync(garbage, 'not a statm line\n');
  const wrongScale = join(dir, 'statm-scale');
  writeFileSync(wrongScale, '100 3 2 1 0 1 0\n'); // 3 pages: no page size makes that our RSS
  for (const statm of [join(dir, 'missing'), garbage, wrongScale]) {
    const rss = memoryReader({ statm })().rss;
    assert.ok(near(rss, process.memoryUsage.rss(), 0.05), `${statm}: rss ${rss}`);
  }
});
