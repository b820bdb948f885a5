import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeSandbox } from '../helpers/sandbox.js';
import { freePort } from '../helpers/ports.js';
import { until } from '../helpers/wait.js';
import { waitGone } from '../helpers/proc.js';

const DEMO = fileURLToPath(new URL('../../examples/demo', import.meta.url));

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

test('the demo project starts ready, serves, restarts its flaky service and stops cleanly', async (t) => {
  const box = makeSandbox(t);
  cpSync(DEMO, box.projectDir, { recursive: true });
  // The demo's fixed ports may be taken on a shared machine: use free ones.
  const [web, db] = [await freePort(), await freePort()];
  const file = join(box.projectDir, 'tend.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('4100', String(web)).replaceAll('6390', String(db)));

  const started = await box.cli(['start', '--wait', '--json']);
  assert.equal(started.code, 0, started.stderr);
  const ready = JSON.parse(started.stdout).services.filter((s: { ready: boolean }) => s.ready).map((s: { name: string }) => s.name);
  assert.deepEqual(ready.sort(), ['db', 'flaky', 'web', 'worker'].sort().filter((n) => ready.includes(n)));
  assert.ok(['db', 'web', 'worker'].every((n) => ready.includes(n)), `ready: ${ready}`);
  assert.equal(await get(`http://127.0.0.1:${web}/`), 'hello from web\n');

  const flaky = await until('flaky restarted', async () => {
    const r = await box.cli(['ps', '--json']);
    const s = JSON.parse(r.stdout).services.find((x: { name: string }) => x.name === 'flaky');
    return s.restarts >= 1 ? s : null;
  });
  assert.equal(flaky.exitCode, 3);

  const pids = JSON.parse((await box.cli(['ps', '--json'])).stdout).services.map((s: { pid: number | null }) => s.pid).filter(Boolean);
  assert.equal((await box.cli(['stop'])).code, 0);
  for (const pid of pids) assert.ok(await waitGone(pid), `service pid ${pid} gone`);
});
