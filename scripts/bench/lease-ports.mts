// Times leasePorts for N `port: auto` services of one project in a fresh state
// root: the first call hands out new leases, the second keeps them (both
// check every port by binding). Prints one JSON line: { firstMs, againMs }.
// Usage: node --import tsx scripts/bench/lease-ports.mts STATE_ROOT PROJECT_DIR N
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { leasePorts } from '../../src/services/ports/lease.ts';
import { portRange } from '../../src/services/ports/range.ts';
import type { PortRequest } from '../../src/services/types.ts';

const [stateRoot, projectDir, n] = process.argv.slice(2);
mkdirSync(projectDir!, { recursive: true });
const requests: PortRequest[] = Array.from({ length: Number(n) }, (_, i) => ({ service: `s${i}`, kind: 'auto' }));
const options = { stateRoot: stateRoot!, projectDir: projectDir!, instanceDir: join(stateRoot!, 'bench-instance'), range: portRange() };
const time = async () => {
  const t0 = performance.now();
  const ports = await leasePorts(requests, options);
  if (new Set(ports.values()).size !== requests.length) throw new Error('ports are not distinct');
  return performance.now() - t0;
};
const firstMs = await time();
const againMs = await time();
console.log(JSON.stringify({ firstMs, againMs }));
