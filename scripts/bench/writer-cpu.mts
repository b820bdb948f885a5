// The service log writer alone, in-process: CPU ms per MiB of 100-byte lines
// pushed through LogWriter.attach in 64 KiB chunks (what a pipe read gives).
// Usage: node --import tsx scripts/bench/writer-cpu.mts [REPO_ROOT]  (another tree: compare two builds)
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const root = process.argv[2] ?? new URL('../..', import.meta.url).pathname;
const { LogWriter } = await import(join(root, 'src/services/log/log-writer.ts'));
const line = `L00000001 ${'x'.repeat(89)}\n`;
const chunk = Buffer.from(line.repeat(655)); // 64 KiB reads, like a pipe
const total = 24 * 1024 * 1024;
const results: number[] = [];
for (let run = 0; run < 5; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'wcpu-'));
  const w = new LogWriter(join(dir, 'x.log'), { maxBytes: 10 * 1024 * 1024, keep: 3 });
  let sent = 0;
  const src = new Readable({ read() { while (sent < total) { sent += chunk.length; if (!this.push(chunk)) return; } this.push(null); } });
  const c0 = process.cpuUsage();
  w.attach(src, 'stdout', undefined, 1);
  await w.close();
  const c = process.cpuUsage(c0);
  results.push(((c.user + c.system) / 1000) / (total / 1048576));
  rmSync(dir, { recursive: true, force: true });
}
results.sort((a, b) => a - b);
console.log(root, 'CPU ms per MiB captured (median of 5):', results[2]!.toFixed(2), 'all', results.map((r) => r.toFixed(2)).join(' '));
