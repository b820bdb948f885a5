// Port lease figures: leasing 100 ports for one project (new, then kept), and
// what `port: auto` adds to `tend start` of a project with 20 services.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, runNode, sandbox, summary, tend, termTend } from './lib.mjs';

const row = (o) => ({ unit: 'ms', baseline: null, baselineLabel: null, ratio: null, min: null, max: null, n: null, details: {}, target: null, met: null, ...o });

// Leases come from a block of their own, so the figure never waits on ports other programs hold.
const RANGE = { TEND_PORT_RANGE: '23000-23999' };

export async function figLeasePorts(ctx) {
  const runs = ctx.quick ? 2 : 5;
  const first = [];
  const again = [];
  for (let i = 0; i < runs; i++) {
    const sb = sandbox('lease');
    const out = await runNode(['--import', 'tsx', join(BENCH_DIR, 'lease-ports.mts'), sb.stateDir, sb.projectDir, '100'], {
      env: { ...sb.env, ...RANGE },
      cwd: join(BENCH_DIR, '..', '..'),
    });
    const r = JSON.parse(out);
    first.push(r.firstMs);
    again.push(r.againMs);
  }
  const f = summary(first);
  const a = summary(again);
  return [
    row({ id: 'lease-100', label: 'lease 100 new ports (one project)', value: f.median, min: f.min, max: f.max, n: f.n }),
    row({ id: 'lease-100-kept', label: 're-check 100 kept leases', value: a.median, min: a.min, max: a.max, n: a.n }),
  ];
}

function project(name, withPorts) {
  const sb = sandbox(name);
  let yaml = 'services:\n';
  for (let i = 0; i < 20; i++) yaml += `  s${i}:\n    command: sleep 1000\n${withPorts ? '    port: auto\n' : ''}`;
  writeFileSync(join(sb.projectDir, 'tend.yaml'), yaml);
  sb.env = { ...sb.env, ...RANGE };
  return sb;
}

export async function figStartAutoPorts(ctx) {
  const plain = project('plain20', false);
  const auto = project('auto20', true);
  const pairs = [];
  try {
    for (let i = -1; i < ctx.cliRuns; i++) {
      const a = tend(plain, ['start']);
      await termTend(plain);
      const b = tend(auto, ['start']);
      await termTend(auto);
      if (a.status !== 0 || b.status !== 0) throw new Error(`start failed: ${a.stderr}${b.stderr}`);
      if (i >= 0) pairs.push({ a: a.ms, b: b.ms });
    }
  } finally {
    await termTend(plain);
    await termTend(auto);
  }
  const b = summary(pairs.map((p) => p.b));
  const added = summary(pairs.map((p) => p.b - p.a));
  const baseline = summary(pairs.map((p) => p.a)).median;
  return [
    row({ id: 'start-20-auto', label: 'tend start, 20 services with port: auto', value: b.median, min: b.min, max: b.max, n: b.n, baseline, baselineLabel: '20 services, no port', ratio: b.median / baseline }),
    row({ id: 'start-20-auto-added', label: 'cost port: auto adds to that start (pair by pair)', value: added.median, min: added.min, max: added.max, n: added.n }),
  ];
}
