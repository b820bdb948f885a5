import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { until } from '../helpers/wait.js';
import { psService, type PsService } from '../helpers/ps.js';


const IDLE = `node -e "setInterval(() => {}, 1000)"`;

const service = psService;

/** Polls `ps --json` until `name` is running and ready with `restarts` restarts; returns it. */
function untilRestarts(box: Sandbox, name: string, restarts: number): Promise<PsService> {
  return until(`${name} to be running with ${restarts} restart(s)`, async () => {
    const s = await service(box, name);
    assert.ok(s.restarts <= restarts, `more restarts than expected: ${JSON.stringify(s)}`);
    return s.restarts === restarts && s.state === 'running' && s.ready ? s : null;
  });
}

async function start(box: Sandbox): Promise<void> {
  const r = await box.cli(['start', '--wait']);
  assert.equal(r.code, 0, r.stderr);
}

/** Writes src/marker.ts and asserts that exactly this change restarts `app`, as restart number `restarts`. */
async function expectMarkerRestart(box: Sandbox, restarts: number): Promise<void> {
  box.write('src/marker.ts', 'x');
  const marked = await until('the marker restart', async () => {
    const s = await service(box, 'app');
    return s.reason === 'changed: src/marker.ts' && s.state === 'running' ? s : null;
  });
  assert.equal(marked.restarts, restarts);
}

test('saving a watched file restarts the service once, and ps says which file changed', async (t) => {
  const box = makeSandbox(t, { 'src/app.ts': 'v1', 'tend.yaml': `services:\n  app:\n    command: ${IDLE}\n    watch: [src]\n` });
  await start(box);
  const before = await service(box, 'app');
  box.write('src/app.ts', 'v2');
  const after = await untilRestarts(box, 'app', 1);
  assert.notEqual(after.pid, before.pid);
  assert.equal(after.reason, 'changed: src/app.ts');
  const ps = await box.cli(['ps']);
  assert.match(ps.stdout, /app: changed: src\/app\.ts/);
  // Exactly once: a later change is the second restart, not the third.
  await expectMarkerRestart(box, 2);
});

test('a burst of 1,000 changes gives exactly one restart after the debounce', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  app:\n    command: ${IDLE}\n    watch: { paths: ["src/**/*.ts"], debounce: 300ms }\n` });
  mkdirSync(join(box.projectDir, 'src', 'deep'), { recursive: true });
  await start(box);
  for (let i = 0; i < 1_000; i++) writeFileSync(join(box.projectDir, 'src', i % 2 ? 'deep' : '', `f${i}.ts`), String(i));
  const after = await untilRestarts(box, 'app', 1);
  assert.match(after.reason ?? '', /^changed: src\/(deep\/)?f\d+\.ts \(and 999 more\)$/);
  await expectMarkerRestart(box, 2);
});

test('changes under ignored paths, .git, node_modules and tend\'s own state never restart, and ignored trees are not scanned', async (t) => {
  // cwd is the sandbox root, so tend's state dir (root/state) is inside the watched tree:
  // the service's own log lines, written there, must not restart it.
  const box = makeSandbox(t, {
    'tend.yaml': `services:\n  app:\n    command: node -e "setInterval(() => console.log('tick'), 20)"\n    cwd: ..\n    watch: { paths: ["."], ignore: ["project/gen", "**/*.tmp"] }\n`,
  });
  for (let i = 0; i < 40; i++) box.write(`node_modules/pkg${i}/index.js`, 'x');
  for (let i = 0; i < 10; i++) box.write(`gen/d${i}/out.js`, 'x');
  box.write('.git/HEAD', 'ref');
  box.write('src/app.js', 'v1');
  await start(box);
  // Ignored trees are not even scanned: the daemon watches a few directories, not node_modules' 40 or gen's 10.
  const daemon = (JSON.parse(readFileSync(box.paths().metadataFile, 'utf8')) as { pid: number }).pid;
  const watches = inotifyWatches(daemon);
  assert.ok(watches > 0 && watches < 10, `inotify watches: ${watches}`);

  box.write('node_modules/pkg1/index.js', 'y');
  box.write('node_modules/new/index.js', 'y');
  box.write('.git/HEAD', 'other');
  box.write('gen/d1/out.js', 'y');
  box.write('src/scratch.tmp', 'y');
  box.write('src/app.js', 'v2'); // the positive marker, after all the ignored ones
  const after = await until('the restart for src/app.js', async () => {
    const s = await service(box, 'app');
    return s.restarts >= 1 && s.state === 'running' ? s : null;
  });
  assert.equal(after.reason, 'changed: project/src/app.js');
  assert.equal(after.restarts, 1);
});

test('signal: SIGHUP sends the signal on a change and does not restart', async (t) => {
  const box = makeSandbox(t, {
    'tend.yaml': `services:
  app:
    command: node -e "process.on('SIGHUP', () => console.log('got HUP')); console.log('up'); setInterval(() => {}, 1000)"
    ready: { log: up, interval: 50ms }
    watch: { paths: [conf], signal: SIGHUP, debounce: 50ms }
`,
    'conf/app.conf': 'a',
  });
  await start(box);
  const before = await service(box, 'app');
  box.write('conf/app.conf', 'b');
  await until('the service to log the HUP', () => readFileSync(before.logFile, 'utf8').includes('got HUP'));
  const after = await service(box, 'app');
  assert.equal(after.pid, before.pid);
  assert.equal(after.restarts, 0);
  assert.equal(after.state, 'running');
});

test('a watched path that does not exist yet is picked up when it appears', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  app:\n    command: ${IDLE}\n    watch: [build/out]\n` });
  await start(box);
  box.write('build/out/bundle.js', '1'); // creates build/ and build/out/ too
  const first = await untilRestarts(box, 'app', 1);
  assert.match(first.reason ?? '', /^changed: build\/out/);
  // Now watched directly: a change inside it restarts again.
  box.write('build/out/bundle.js', '2');
  const second = await until('a second restart', async () => {
    const s = await service(box, 'app');
    return s.restarts === 2 && s.state === 'running' ? s : null;
  });
  assert.equal(second.reason, 'changed: build/out/bundle.js');
});

test('reload adds and removes watches', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  app:\n    command: ${IDLE}\n`, 'src/a.ts': '', 'docs/a.md': '' });
  await start(box);
  box.write('src/a.ts', 'unwatched');
  box.write('tend.yaml', `services:\n  app:\n    command: ${IDLE}\n    watch: [src]\n`);
  let r = await box.cli(['reload']);
  assert.equal(r.code, 0, r.stderr);
  await until('app to run again after the reload', async () => (await service(box, 'app')).state === 'running');
  box.write('src/b.ts', 'watched now');
  const added = await untilRestarts(box, 'app', 1);
  assert.equal(added.reason, 'changed: src/b.ts');

  box.write('tend.yaml', `services:\n  app:\n    command: ${IDLE}\n    watch: [docs]\n`);
  r = await box.cli(['reload']);
  assert.equal(r.code, 0, r.stderr);
  await until('app to run again after the second reload', async () => (await service(box, 'app')).state === 'running');
  box.write('src/c.ts', 'no longer watched');
  box.write('docs/a.md', 'watched now'); // the positive marker
  const marked = await until('the docs restart', async () => {
    const s = await service(box, 'app');
    return s.reason === 'changed: docs/a.md' && s.state === 'running' ? s : null;
  });
  assert.equal(marked.restarts, 2);
});

test('a stopped service is not watched; started again, it is', async (t) => {
  const box = makeSandbox(t, { 'tend.yaml': `services:\n  app:\n    command: ${IDLE}\n    watch: [src]\n`, 'src/a.ts': '' });
  await start(box);
  let r = await box.cli(['stop', 'app']);
  assert.equal(r.code, 0, r.stderr);
  box.write('src/a.ts', 'while stopped');
  r = await box.cli(['start', 'app', '--wait']);
  assert.equal(r.code, 0, r.stderr);
  box.write('src/b.ts', 'marker');
  const s = await untilRestarts(box, 'app', 1);
  assert.equal(s.reason, 'changed: src/b.ts');
});

function inotifyWatches(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:inotify') continue;
      n += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify wd')).length;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}
