// Bad daemon.json: random bytes, wrong types, impossible pids, the pid of an
// unrelated live process, a symlink or a directory in its place. Wanted:
// `status` says so clearly (never "running"), `stop` never signals a
// stranger, and `start` recovers. Impossible pids (0, 1, -1) run their
// commands in a fresh pid namespace, so a regression could not signal this
// machine's processes.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chaosCase, checks, expectStart } from './case.mjs';
import { settleDaemons } from './monitor.mjs';
import { alive, procStartTime } from '../helpers/proc.ts';
import { describeResult as describe, hasStackTrace, jsonPid } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

const TRAPPED = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

/** A live process unrelated to tend that records every signal it gets. */
export async function spawnStranger(run) {
  const marker = join(run.root, 'stranger-signals');
  // It says "ready" once its handlers are in place: a signal sent before would kill it unrecorded.
  const code = `const fs=require('fs');for(const s of ${JSON.stringify(TRAPPED)})process.on(s,()=>fs.appendFileSync(${JSON.stringify(marker)},s+'\\n'));setInterval(()=>{},1e6);console.log('ready')`;
  const child = run.spawnHelper(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code, signal) => reject(new Error(`the stranger exited (${code ?? signal}) before it was ready`)));
  });
  child.stdout.resume();
  return {
    pid: child.pid,
    startTime: procStartTime(child.pid),
    signals: () => (existsSync(marker) ? readFileSync(marker, 'utf8').trim().split('\n') : []),
  };
}

/** A plant: a stranger, and daemon.json (with a lock dir) naming it with `fields(stranger)`. */
function strangerInMetadata(fields) {
  return async (run) => {
    const s = await spawnStranger(run);
    writeJson(run, metadataFor(run, fields(s)), true);
    return s;
  };
}

function metadataFor(run, fields) {
  return {
    schema: 1,
    pid: 4_000_000,
    processStartTime: '1',
    instanceId: '00000000-0000-4000-8000-000000000000',
    startedAt: new Date().toISOString(),
    version: '0.1.0',
    endpoint: 'http://127.0.0.1:9/graphql',
    host: '127.0.0.1',
    port: 9,
    token: 'planted-token',
    projectDir: run.projectDir,
    logFile: run.file('daemon.log'),
    foreground: false,
    ...fields,
  };
}

/** Each variant plants something (it may return a stranger) and names what `status` may say. */
const VARIANTS = [
  { id: 'random-bytes', name: 'random bytes', plant: (run) => writeFileSync(run.file('daemon.json'), randomBytes(4096)), status: [4] },
  { id: 'empty', name: 'empty', plant: (run) => writeFileSync(run.file('daemon.json'), ''), status: [4] },
  { id: 'wrong-types', name: 'wrong types', plant: (run) => writeJson(run, { ...metadataFor(run), pid: '1234', port: '80', foreground: 'no' }), status: [4] },
  ...[0, 1, -1, 2 ** 53, 4_194_305].map((pid) => ({
    id: `pid-${pid === 2 ** 53 ? '2e53' : pid}`,
    name: `pid ${pid === 2 ** 53 ? '2^53' : pid}`,
    isolate: true,
    plant: (run) => writeJson(run, metadataFor(run, { pid, processStartTime: null }), true),
    status: [1, 4],
  })),
  {
    id: 'stranger-reused',
    name: 'stranger pid, reused (start time differs)',
    plant: strangerInMetadata((s) => ({ pid: s.pid, processStartTime: String(Number(s.startTime) - 5) })),
    status: [1],
  },
  {
    id: 'stranger-no-start-time',
    name: 'stranger pid, no start time recorded',
    plant: strangerInMetadata((s) => ({ pid: s.pid, processStartTime: null })),
    status: [1, 4],
  },
  {
    id: 'stranger-start-time-matches',
    name: 'stranger pid, start time matching (forged / after a reboot)',
    plant: strangerInMetadata((s) => ({ pid: s.pid, processStartTime: s.startTime })),
    status: [1, 4],
  },
  {
    id: 'stranger-owner-too',
    name: 'stranger pid in daemon.json and the owner record, start times matching (state from before a reboot)',
    plant: async (run) => {
      const s = await spawnStranger(run);
      // Written in an earlier boot: pid and start time repeat across boots, the boot id does not.
      const bootId = '00000000-0000-4000-8000-000000000000';
      const m = metadataFor(run, { pid: s.pid, processStartTime: s.startTime, bootId });
      writeJson(run, m, true);
      writeFileSync(run.file('daemon.owner.json'), JSON.stringify({ pid: s.pid, processStartTime: s.startTime, bootId, instanceId: m.instanceId }));
      return s;
    },
    status: [1, 4],
  },
  {
    id: 'symlink',
    name: 'symlink to a file of the user',
    plant: (run) => {
      const victim = join(run.root, 'victim.txt');
      writeFileSync(victim, 'precious\n');
      symlinkSync(victim, run.file('daemon.json'));
      run.victim = victim;
    },
    status: [4],
  },
  { id: 'directory', name: 'a directory', plant: (run) => mkdirSync(run.file('daemon.json')), status: [4] },
];

function writeJson(run, value, withLock = false) {
  writeFileSync(run.file('daemon.json'), JSON.stringify(value), { mode: 0o600 });
  if (withLock) mkdirSync(run.file('daemon.lock'), { recursive: true });
}

/** One case per variant. */
export const metadataCases = VARIANTS.map((v) => ({
  id: `bad-state.${v.id}`,
  group: 'Bad daemon.json',
  title: `daemon.json: ${v.name}`,
  run: () =>
    withRun('meta', async (run) => {
      const c = checks();
      mkdirSync(run.instanceDir, { recursive: true, mode: 0o700 });
      const stranger = await v.plant(run);
      const opts = { isolate: Boolean(v.isolate) };
      const status = await run.cli(['status'], opts);
      c.expect(v.status.includes(status.code), `status: ${describe(status)} (want ${v.status.join(' or ')})`);
      c.expect(!hasStackTrace(status.stderr + status.stdout), 'status printed a stack trace');
      c.expect(!/planted-token/.test(status.stdout + status.stderr), 'status printed the token');
      // Short timeouts: a variant that fools tend into waiting should fail fast, not in 10 s.
      const stop = await run.cli(['stop', '--timeout', '3'], opts);
      c.expect([0, 1].includes(stop.code) && !hasStackTrace(stop.stderr), `stop: ${describe(stop)}`);
      if (stranger) {
        c.expect(alive(stranger.pid) && stranger.signals().length === 0, `stop signalled the stranger pid ${stranger.pid}: ${stranger.signals().join(',') || 'killed'}`);
      }
      const start = await run.cli(['start', '--json', '--wait-timeout', '5']);
      c.expect(start.code === 0, `start did not recover: ${describe(start)}`);
      const pid = jsonPid(start);
      const status2 = await run.cli(['status', '--json']);
      c.expect(status2.code === 0 && jsonPid(status2) === pid, `status after recovery: ${describe(status2)}`);
      const end = await run.cli(['stop', '--timeout', '3']);
      c.expect(end.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(end)}`);
      if (stranger) c.expect(alive(stranger.pid) && stranger.signals().length === 0, `the stranger was signalled: ${stranger.signals()}`);
      if (run.victim) c.expect(readFileSync(run.victim, 'utf8') === 'precious\n', 'the symlink target was changed');
      return {
        figures: `status ${status.code} "${firstLine(status.stdout + status.stderr)}"; stop ${stop.code}${stop.code ? ` "${firstLine(stop.stderr)}"` : ''}; start ${start.code}${stranger ? `; stranger signalled: ${stranger.signals().join(',') || (alive(stranger.pid) ? 'no' : 'KILLED')}` : ''}`,
        failures: c.failures,
      };
    }),
}));

/** Garbage written over a live daemon's metadata: `stop` still finds and stops it by its owner record. */
export const garbageOverLive = chaosCase({ id: 'bad-state.garbage-over-live', group: 'Bad daemon.json', title: "daemon.json: random bytes over a live daemon's file", sandbox: 'meta-live' }, async (run, _p, c) => {
  const up = await run.cli(['start', '--json']);
  const pid = jsonPid(up);
  writeFileSync(run.file('daemon.json'), randomBytes(512));
  const status = await run.cli(['status']);
  c.expect(status.code === 4, `status: ${describe(status)} (want 4, unknown)`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}; daemons ${run.daemons()}`);
  const start = await expectStart(run, c);
  const end = await run.cli(['stop']);
  c.expect(end.code === 0 && run.leftovers().length === 0, `final ${describe(end)}; left ${run.leftovers()}`);
  return { figures: `status ${status.code}; stop ${stop.code} (pid ${pid} ${alive(pid) ? 'STILL ALIVE' : 'gone'}); start ${start.code}`, failures: c.failures };
});

function firstLine(text) {
  return (text.trim().split('\n')[0] ?? '').replace(/\/tmp\/tend-chaos-[^/ ]+/g, '<tmp>').slice(0, 110);
}
