// How long the daemon's event loop is held while the output pipes of N
// processes are made, the old way (one spawnSync mkfifo per process) against
// FifoMaker (one async, batched mkfifo): the longest stretch the loop could
// not turn (perf_hooks' event-loop delay, max), the loop's busy time in all
// (event-loop utilization, active ms), and the wall time until all pipes are open. Alternates old and new, `runs` times each; prints medians.
//
//   node --import tsx scripts/bench/fifo-loop.mts [--processes 20] [--runs 15]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { FifoMaker } from '../../src/services/process/fifo-maker.js';
import { discardPipes, openOutputPipes, type OutputPipes } from '../../src/services/process/output-pipes.js';

const { values } = parseArgs({ options: { processes: { type: 'string', default: '20' }, runs: { type: 'string', default: '15' } } });
const processes = Number(values.processes);
const runs = Number(values.runs);

// What output-pipes did before: one synchronous mkfifo(1) per process.
function oldWay(dir: string, i: number): void {
  const files = [join(dir, `${i}.out`), join(dir, `${i}.err`)];
  spawnSync('mkfifo', ['-m', '600', ...files], { stdio: 'ignore' });
  for (const f of files) rmSync(f, { force: true });
}

interface Run {
  blockedMs: number;
  busyMs: number;
  wallMs: number;
}

async function measure(kind: 'old' | 'new'): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'fifo-bench-'));
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const elu = performance.eventLoopUtilization();
  const t0 = performance.now();
  if (kind === 'old') {
    for (let i = 0; i < processes; i++) {
      oldWay(dir, i);
      await new Promise((r) => setImmediate(r)); // each start is its own turn, as in the daemon
    }
  } else {
    const maker = new FifoMaker();
    const all = await Promise.all(Array.from({ length: processes }, () => openOutputPipes(dir, maker)));
    for (const p of all) if (p) discardPipes(p as OutputPipes);
  }
  const wallMs = performance.now() - t0;
  const busyMs = performance.eventLoopUtilization(elu).active;
  await new Promise((r) => setTimeout(r, 5));
  h.disable();
  rmSync(dir, { recursive: true, force: true });
  return { blockedMs: h.max / 1e6, busyMs, wallMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const got = { old: [] as Run[], new: [] as Run[] };
for (let i = 0; i < runs; i++) for (const k of ['old', 'new'] as const) got[k].push(await measure(k));
for (const k of ['old', 'new'] as const) {
  const b = median(got[k].map((x) => x.blockedMs));
  const w = median(got[k].map((x) => x.wallMs));
  const a = median(got[k].map((x) => x.busyMs));
  console.log(`${k}: ${processes} processes: longest loop stall ${b.toFixed(1)} ms, loop busy ${a.toFixed(1)} ms, all pipes open after ${w.toFixed(1)} ms (medians of ${runs})`);
}
