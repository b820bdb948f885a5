// `tend stop` with many services: start --wait with N `sleep` services (an
// array command: one process each), then a plain `tend stop` (no --timeout:
// the daemon's published stop budget), timed; and what was left running.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { row } from './figures.mjs';
import { alive, childrenOf, readMeta, sandbox, stopTend, summary, tend, track } from './lib.mjs';

/** Figure `stop-services`: stop of 1,000 services (200 with --quick). */
export async function figStopServices(ctx) {
  const n = ctx.quick ? 200 : 1000;
  const runs = ctx.quick ? 1 : 3;
  const times = [];
  const left = [];
  const failures = [];
  for (let i = 0; i < runs; i++) {
    const sb = sandbox(`stop${n}`);
    const lines = ['services:', ...Array.from({ length: n }, (_, k) => `  s${k}:\n    command: ["sleep", "1000"]`)];
    writeFileSync(join(sb.projectDir, 'tend.yaml'), lines.join('\n') + '\n');
    try {
      const up = tend(sb, ['start', '--wait', '--wait-timeout', '300'], { timeoutMs: 320_000 });
      if (up.status !== 0) throw new Error(`start --wait: exit ${up.status}: ${up.stderr.slice(0, 200)}`);
      const meta = readMeta(sb);
      track(meta.pid, 'tend daemon');
      const services = childrenOf(meta.pid);
      for (const pid of services) track(pid, 'service', { group: true });
      const r = tend(sb, ['stop'], { timeoutMs: 600_000 });
      times.push(r.ms);
      if (r.status !== 0) failures.push(`stop exit ${r.status}: ${r.stderr.trim().slice(0, 200)}`);
      left.push(services.filter(alive).length);
    } finally {
      stopTend(sb);
    }
  }
  const s = summary(times);
  return [
    row({
      id: 'stop-services',
      label: `tend stop, ${n} services`,
      unit: 'ms',
      value: s.median,
      min: s.min,
      max: s.max,
      n: s.n,
      target: { text: '≤ 10 s, nothing left', test: (v) => v <= 10_000 && left.every((x) => x === 0) && failures.length === 0 },
      targetOn: 'value',
      details: { services: n, leftRunning: left, failures },
    }),
  ];
}
