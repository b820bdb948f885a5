// The lock: a daemon frozen past the lock's stale time (SIGSTOP, as a blocked
// event loop or a suspended laptop), a lock left by a dead daemon, a lock dir
// without an owner, and wall-clock jumps (emulated by the clock-jump preload).
// Invariant everywhere: never two owners; a dead owner is replaced fast.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chaosCase, stats } from './case.mjs';
import { settleDaemons, watchDaemons } from './monitor.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, procStartTime, waitGone } from '../helpers/proc.ts';
import { describeResult as describe, jsonPid } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

/** proper-lockfile stale time the kit uses (LOCK_STALE_MS in src/kit/state/lock.ts). */
const LOCK_STALE_MS = 10_000;
const JUMP = fileURLToPath(new URL('./clock-jump.mjs', import.meta.url));

/** SIGSTOP the daemon past the stale time; another `start` runs meanwhile; SIGCONT while it waits. */
export const pausedOwner = chaosCase({ id: 'lock.paused-owner', group: 'Lock', title: `daemon SIGSTOPped ${(LOCK_STALE_MS + 1500) / 1000}s (> lock stale time) while another start runs`, ci: false, sandbox: 'paused' }, async (run, _p, c) => {
  const first = await run.cli(['start', '--json']);
  const a = jsonPid(first);
  c.expect(first.code === 0 && a, `start: ${describe(first)}`);
  const watch = watchDaemons(run);
  process.kill(a, 'SIGSTOP');
  try {
    await sleep(LOCK_STALE_MS + 1500);
    const second = run.cli(['start', '--json', '--wait-timeout', '10']);
    await sleep(3_000);
    process.kill(a, 'SIGCONT');
    const b = await second;
    const seen = watch.stop();
    c.expect(seen.maxServing <= 1 && seen.maxProcs <= 2, `two owners: ${seen.maxServing} serving, ${seen.maxProcs} daemon processes`);
    // While paused, the daemon does not answer: the second start may say so at once (exit 1,
    // naming it), or, if it resumed first, report it running; never a second daemon.
    const saidNotAnswering = b.code === 1 && /not answering/.test(b.stderr) && b.stderr.includes(`pid ${a}`);
    c.expect((b.code === 0 && jsonPid(b) === a) || saidNotAnswering, `the second start: ${describe(b)} (want 0, already running pid ${a}; or 1, not answering)`);
    await sleep(LOCK_STALE_MS / 2 + 1000); // one lock refresh after SIGCONT: the daemon must not find its lock compromised
    const status = await run.cli(['status', '--json']);
    c.expect(status.code === 0 && jsonPid(status) === a, `status after SIGCONT: ${describe(status)} (want 0, pid ${a})`);
    const live = await settleDaemons(run, 1, 2_000);
    c.expect(live.length === 1 && live[0] === a, `daemons after: ${live}`);
    const survived = alive(a);
    const stop = await run.cli(['stop']);
    c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(stop)}`);
    return {
      figures: `second start exit ${b.code} in ${b.ms} ms (pid ${jsonPid(b) === a ? 'same' : jsonPid(b)}); max serving ${seen.maxServing}; paused daemon still serving after SIGCONT: ${survived}; status ${status.code}`,
      failures: c.failures,
    };
  } finally {
    if (alive(a)) process.kill(a, 'SIGCONT');
  }
});

/** kill -9, then start at once: the dead owner's lock is broken by pid, not by waiting out its stale time. */
export const deadOwner = chaosCase({ id: 'lock.dead-owner', group: 'Lock', title: 'lock left by a SIGKILLed daemon: status, then start recovers fast', sandbox: 'dead' }, async (run, p, c) => {
  const rounds = p.pick({ ci: 1, short: 5, long: 20 });
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const up = await run.cli(['start', '--json']);
    const pid = jsonPid(up);
    c.expect(up.code === 0 && pid, `start: ${describe(up)}`);
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 5_000);
    const status = await run.cli(['status']);
    c.expect(status.code === 1, `round ${r}: status right after kill -9: ${describe(status)} (want 1, stale)`);
    const again = await run.cli(['start', '--json']);
    times.push(again.ms);
    c.expect(again.code === 0 && jsonPid(again) !== pid, `round ${r}: ${describe(again)}`);
    c.expect(again.ms < LOCK_STALE_MS - 1_000, `round ${r}: recovery took ${again.ms} ms (waited out the stale time?)`);
    const stop = await run.cli(['stop']);
    c.expect(stop.code === 0, `round ${r}: ${describe(stop)}`);
  }
  c.expect((await settleDaemons(run, 0)).length === 0 && run.leftovers().length === 0, `left: ${run.daemons()} ${run.leftovers()}`);
  const t = stats(times);
  return { figures: `${rounds} rounds; recovery start p50 ${t.p50} ms, max ${t.max} ms`, failures: c.failures };
});

/** A fresh lock dir with no owner record (a daemon killed between mkdir and recording itself), or naming a reused pid. */
export const orphanLock = chaosCase({ id: 'lock.orphan-dir', group: 'Lock', title: 'fresh lock dir without owner / owner pid reused by a stranger', sandbox: 'orphan' }, async (run, _p, c) => {
  mkdirSync(run.instanceDir, { recursive: true, mode: 0o700 });
  mkdirSync(run.file('daemon.lock'));
  const bare = await run.cli(['start']);
  c.expect(bare.code === 0 && bare.ms < LOCK_STALE_MS - 1_000, `fresh lock, no owner: ${describe(bare)}`);
  await run.cli(['stop']);
  const stranger = run.spawnHelper(process.execPath, ['-e', 'setInterval(() => {}, 1e6)']);
  await sleep(200);
  mkdirSync(run.file('daemon.lock'));
  const owner = { pid: stranger.pid, processStartTime: String(Number(procStartTime(stranger.pid)) - 7), instanceId: 'x' };
  writeFileSync(run.file('daemon.owner.json'), JSON.stringify(owner));
  const reused = await run.cli(['start']);
  c.expect(reused.code === 0 && reused.ms < LOCK_STALE_MS - 1_000, `owner pid reused by a stranger: ${describe(reused)}`);
  c.expect(alive(stranger.pid), 'the stranger was killed');
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && alive(stranger.pid), `stop: ${describe(stop)}; stranger alive ${alive(stranger.pid)}`);
  c.expect((await settleDaemons(run, 0)).length === 0 && run.leftovers().length === 0, `left: ${run.daemons()} ${run.leftovers()}`);
  return { figures: `no owner: start ${bare.code} in ${bare.ms} ms; reused pid: start ${reused.code} in ${reused.ms} ms, stranger untouched`, failures: c.failures };
});

/** Wall-clock jumps in the daemon (±1 h) and in a starter (+1 h), via the clock-jump preload. */
export const clockJumps = chaosCase({ id: 'lock.clock-jump', group: 'Lock', title: 'wall clock jumps ±1 h (daemon) and +1 h (a starter)', sandbox: 'clock' }, async (run, _p, c) => {
  const out = [];
  for (const jump of [3_600_000, -3_600_000]) {
    const env = { CHAOS_CLOCK_JUMP_MS: String(jump), CHAOS_CLOCK_JUMP_AFTER_MS: '1000' };
    const up = await run.cli(['start', '--json'], { nodeArgs: ['--import', JUMP], env });
    const pid = jsonPid(up);
    c.expect(up.code === 0, `start (jump ${jump}): ${describe(up)}`);
    await sleep(LOCK_STALE_MS / 2 + 1500); // the jump, then one lock refresh with the new clock
    // Evidence that the jump happened: the daemon stamped its lock with its own (jumped) clock.
    const skew = statSync(run.file('daemon.lock')).mtimeMs - Date.now();
    c.expect(Math.abs(skew - jump) < 60_000, `the clock jump did not take effect (lock mtime skew ${Math.round(skew / 1000)} s)`);
    const again = await run.cli(['start', '--json']);
    c.expect(again.code === 0 && jsonPid(again) === pid, `a start after the daemon's clock jumped ${jump / 3.6e6} h: ${describe(again)} (want already running, pid ${pid})`);
    const status = await run.cli(['status', '--json']);
    c.expect(status.code === 0 && jsonPid(status) === pid, `status: ${describe(status)}`);
    const live = await settleDaemons(run, 1, 2_000);
    c.expect(live.length === 1, `daemons: ${live}`);
    out.push(`daemon ${jump > 0 ? '+' : '-'}1h (lock mtime ${skew > 0 ? '+' : ''}${Math.round(skew / 60000)} min): start ${again.code} (${jsonPid(again) === pid ? 'same pid' : 'OTHER pid'}), status ${status.code}`);
    const stop = await run.cli(['stop']);
    c.expect(stop.code === 0, `stop: ${describe(stop)}`);
  }
  const up = await run.cli(['start', '--json']);
  const pid = jsonPid(up);
  const env = { CHAOS_CLOCK_JUMP_MS: '3600000', CHAOS_CLOCK_JUMP_AFTER_MS: '0' };
  const ahead = await run.cli(['start', '--json'], { nodeArgs: ['--import', JUMP], env });
  c.expect(ahead.code === 0 && jsonPid(ahead) === pid, `a starter whose clock is 1 h ahead: ${describe(ahead)} (want already running, pid ${pid})`);
  c.expect((await settleDaemons(run, 1, 2_000)).length === 1, `daemons: ${run.daemons()}`);
  out.push(`starter +1h: start ${ahead.code} (${jsonPid(ahead) === pid ? 'same pid' : 'OTHER pid'})`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(stop)}`);
  return { figures: out.join('; '), failures: c.failures };
});
