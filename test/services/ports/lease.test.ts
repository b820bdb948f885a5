import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DaemonError } from '../../../src/kit/errors.js';
import { leaseFilePath } from '../../../src/services/ports/lease-file.js';
import { leasePorts, type LeaseOptions } from '../../../src/services/ports/lease.js';
import type { PortRequest } from '../../../src/services/types.js';

// A block of its own, below the e2e files' blocks.
let block = 0;
function range(size = 50) {
  const low = 29000 + 50 * block++;
  return { low, high: low + size - 1 };
}

function root(t: TestContext): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tend-lease-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function projectIn(rootDir: string, name: string, r: { low: number; high: number }): LeaseOptions {
  const projectDir = join(rootDir, name);
  mkdirSync(projectDir, { recursive: true });
  return { stateRoot: join(rootDir, 'state'), projectDir, instanceDir: join(rootDir, 'state', name), range: r };
}

const auto = (...names: string[]): PortRequest[] => names.map((service) => ({ service, kind: 'auto' }));

test('ten projects leasing at once from one registry get distinct ports, each kept on the next call', async (t) => {
  const dir = root(t);
  const r = range();
  const projects = Array.from({ length: 10 }, (_, i) => projectIn(dir, `p${i}`, r));
  const first = await Promise.all(projects.map((p) => leasePorts(auto('a', 'b', 'c'), p)));
  const all = first.flatMap((m) => [...m.values()]);
  assert.equal(new Set(all).size, 30);
  for (const port of all) assert.ok(port >= r.low && port <= r.high);
  const again = await Promise.all(projects.map((p) => leasePorts(auto('a', 'b', 'c'), p)));
  assert.deepEqual(again, first);
});

test('a preferred number is used when free, and not when another project leased it', async (t) => {
  const dir = root(t);
  const r = range();
  const a = projectIn(dir, 'a', r);
  const b = projectIn(dir, 'b', r);
  const wanted: PortRequest[] = [{ service: 'web', kind: 'preferred', port: r.low + 7 }];
  assert.equal((await leasePorts(wanted, a)).get('web'), r.low + 7);
  const other = (await leasePorts(wanted, b)).get('web')!;
  assert.notEqual(other, r.low + 7);
  assert.ok(other >= r.low && other <= r.high);
});

test('leases of a project whose dir is gone, and of services a project dropped, are given back', async (t) => {
  const dir = root(t);
  const r = range();
  const gone = projectIn(dir, 'gone', r);
  const kept = projectIn(dir, 'kept', r);
  await leasePorts(auto('x'), gone);
  await leasePorts(auto('a', 'b'), kept);
  rmSync(gone.projectDir, { recursive: true });
  await leasePorts(auto('a'), kept);
  const leases = JSON.parse(readFileSync(leaseFilePath(kept.stateRoot), 'utf8')).leases;
  assert.deepEqual(leases.map((l: { projectDir: string; service: string }) => [l.projectDir, l.service]), [[kept.projectDir, 'a']]);
});

test('an exhausted range is an error that says how to widen it', async (t) => {
  const dir = root(t);
  const r = range(2);
  await assert.rejects(leasePorts(auto('a', 'b', 'c'), projectIn(dir, 'p', r)), (err: unknown) => {
    assert.ok(err instanceof DaemonError);
    assert.equal(err.code, 'PORTS_EXHAUSTED');
    assert.match(err.message, /no free port left for service c in \d+-\d+; set TEND_PORT_RANGE/);
    return true;
  });
});

test('fixed ports are given as they are and never leased to auto services of the project', async (t) => {
  const dir = root(t);
  const r = range(2);
  const ports = await leasePorts([{ service: 'db', kind: 'fixed', port: r.low }, ...auto('web')], projectIn(dir, 'p', r));
  assert.deepEqual([...ports.entries()].sort(), [['db', r.low], ['web', r.high]]);
});
