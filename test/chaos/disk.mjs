// Disk trouble: a read-only state root (a tmpfs remounted ro: we are root,
// and root ignores permission bits), a full disk (a tiny tmpfs, filled), and
// the instance dir deleted under a running daemon. Wanted: clear errors (no
// stack traces), no half-written files, and a daemon that keeps serving or
// stops cleanly; the next start recovers once the disk is fine again.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { chaosCase, expectStart, Skip } from './case.mjs';
import { settleDaemons, watchDaemons } from './monitor.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, cpuTicks, rssBytes, waitGone } from '../helpers/proc.ts';
import { describeResult as describe, hasStackTrace } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

/** Mounts a tmpfs as the run's state root; returns a skip reason when mounts are impossible here. */
function mountState(run, size) {
  try {
    run.mount(run.stateDir, `size=${size},mode=0700`);
  } catch (err) {
    throw new Skip(`cannot mount a tmpfs here (${String(err.stderr ?? err.message).trim()}); run as root to test this`);
  }
}

/** Once the fault is undone: start works again and a plain stop leaves no daemon; returns the start. */
async function startsAgain(run, c, when) {
  const again = await run.cli(['start']);
  c.expect(again.code === 0, `start ${when}: ${describe(again)}`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(stop)}`);
  return again;
}

/** Fills the filesystem holding `dir` until ENOSPC; returns the bytes written. */
function fill(dir) {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(4096, 1);
  let n = 0;
  try {
    for (;;) n += writeSync(fd, chunk);
  } catch (err) {
    if (err.code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return n;
}

/** Temp files and state files that do not parse: what an interrupted write leaves. */
function halfWritten(run) {
  let names = [];
  try {
    names = readdirSync(run.instanceDir);
  } catch {
    return [];
  }
  return names.filter((n) => {
    if (n.endsWith('.tmp')) return true;
    if (!n.endsWith('.json')) return false;
    try {
      JSON.parse(readFileSync(join(run.instanceDir, n), 'utf8'));
      return false;
    } catch {
      return true;
    }
  });
}

function clearFailure(c, res, what, pattern) {
  c.expect(res.code === 1, `${what}: ${describe(res)} (want exit 1)`);
  c.expect(pattern.test(res.stderr), `${what}: the message does not name the cause: ${res.stderr.trim().slice(0, 300)}`);
  c.expect(!hasStackTrace(res.stderr), `${what}: stack trace instead of a message: ${res.stderr.trim().slice(0, 300)}`);
}

const EROFS = /read-only|EROFS/i;
const ENOSPC = /no space|ENOSPC|disk.*full/i;

/** Read-only state root before the first start. */
export const readOnlyRoot = chaosCase({ id: 'disk.read-only-root', group: 'Disk', title: 'state root read-only (tmpfs remounted ro) before any start', sandbox: 'ro' }, async (run, _p, c) => {
  mountState(run, '1m');
  await run.remount(run.stateDir, 'ro');
  const start = await run.cli(['start']);
  clearFailure(c, start, 'start', EROFS);
  c.expect((await settleDaemons(run, 0, 3_000)).length === 0, 'a daemon process was left');
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status: ${describe(status)} (want 3)`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0, `stop: ${describe(stop)} (want 0, not running)`);
  return { figures: `start ${start.code}, status ${status.code}, stop ${stop.code}: "${firstLine(start.stderr)}"`, failures: c.failures };
});

/** Read-only after a daemon was SIGKILLed (stale state that cannot be cleaned). */
export const readOnlyStale = chaosCase({ id: 'disk.read-only-stale', group: 'Disk', title: 'stale state (kill -9) on a state root that turned read-only', sandbox: 'ro-stale' }, async (run, _p, c) => {
  mountState(run, '1m');
  const first = await run.cli(['start', '--json']);
  c.expect(first.code === 0, `first start: ${describe(first)}`);
  const [pid] = run.daemons();
  if (pid) process.kill(pid, 'SIGKILL');
  await waitGone(pid ?? 0, 5_000);
  await run.remount(run.stateDir, 'ro');
  const status = await run.cli(['status']);
  c.expect(status.code === 1, `status of stale state: ${describe(status)} (want 1)`);
  const start = await run.cli(['start']);
  clearFailure(c, start, 'start', EROFS);
  c.expect((await settleDaemons(run, 0, 3_000)).length === 0, 'a daemon process was left');
  const stop = await run.cli(['stop']);
  c.expect([0, 1].includes(stop.code) && !hasStackTrace(stop.stderr), `stop: ${describe(stop)}`);
  c.expect(stop.code === 0 || EROFS.test(stop.stderr), `stop failed without naming the cause: ${describe(stop)}`);
  await run.remount(run.stateDir, 'rw');
  const again = await startsAgain(run, c, 'once writable again');
  return {
    figures: `status ${status.code}; start ${start.code}: "${firstLine(start.stderr)}"; stop ${stop.code}: "${firstLine(stop.stderr || stop.stdout)}"; writable again: start ${again.code}`,
    failures: c.failures,
  };
});

/** A running daemon whose filesystem turns read-only. */
export const readOnlyUnderDaemon = chaosCase({ id: 'disk.read-only-running', group: 'Disk', title: 'state root remounted read-only under a running daemon', sandbox: 'ro-live' }, async (run, _p, c) => {
  mountState(run, '1m');
  const first = await expectStart(run, c);
  try {
    await run.remount(run.stateDir, 'ro', 1_000);
  } catch (err) {
    // The daemon holds its log open for writing: the kernel refuses (EBUSY).
    const why = String(err.stderr ?? err.message).trim().split('\n')[0];
    const stop = await run.cli(['stop']);
    c.expect(stop.code === 0, `stop: ${describe(stop)}`);
    return { skipped: `not injectable: mount -o remount,ro fails while the daemon writes its log (${why})`, failures: c.failures };
  }
  return { figures: 'remounted', failures: c.failures };
});

/** Full disk before the daemon can write its owner record and metadata. */
export const fullBeforeStart = chaosCase({ id: 'disk.full-at-start', group: 'Disk', title: 'full disk (64 KiB tmpfs, filled) at start', sandbox: 'full' }, async (run, _p, c) => {
  mountState(run, '64k');
  const filled = fill(run.stateDir);
  const start = await run.cli(['start']);
  clearFailure(c, start, 'start', ENOSPC);
  c.expect((await settleDaemons(run, 0, 3_000)).length === 0, 'a daemon process was left');
  c.expect(halfWritten(run).length === 0, `half-written files: ${halfWritten(run)}`);
  c.expect(run.leftovers().length === 0, `files left: ${run.leftovers()}`);
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status: ${describe(status)} (want 3)`);
  rmSync(join(run.stateDir, 'filler'));
  const again = await startsAgain(run, c, 'after freeing space');
  return {
    figures: `filled ${Math.round(filled / 1024)} KiB; start ${start.code}: "${firstLine(start.stderr)}"; after freeing: start ${again.code}`,
    failures: c.failures,
  };
});

/** The disk fills while the daemon runs: it must keep serving; a restart fails clearly. */
export const fullWhileRunning = chaosCase({ id: 'disk.full-while-running', group: 'Disk', title: 'disk fills under a running daemon (then SIGUSR1, restart)', sandbox: 'full-live' }, async (run, _p, c) => {
  mountState(run, '256k');
  const first = await expectStart(run, c);
  const [pid] = run.daemons();
  fill(run.stateDir);
  // SIGUSR1 makes the daemon write a snapshot to its (full) log.
  if (pid) process.kill(pid, 'SIGUSR1');
  await sleep(500);
  const status = await run.cli(['status']);
  c.expect(status.code === 0 && alive(pid), `after a log write failed on a full disk: ${describe(status)}; daemon alive: ${alive(pid)}`);
  const restart = await run.cli(['restart']);
  c.expect([0, 1].includes(restart.code) && !hasStackTrace(restart.stderr), `restart: ${describe(restart)}`);
  if (restart.code === 1) clearFailure(c, restart, 'restart', ENOSPC);
  await settleDaemons(run, restart.code === 0 ? 1 : 0, 3_000);
  c.expect(halfWritten(run).length === 0, `half-written files: ${halfWritten(run)}`);
  rmSync(join(run.stateDir, 'filler'));
  const again = await startsAgain(run, c, 'after freeing space');
  return {
    figures: `status while full ${status.code}; restart ${restart.code}${restart.code ? `: "${firstLine(restart.stderr)}"` : ''}; after freeing: start ${again.code}`,
    failures: c.failures,
  };
});

// ~1 MB/s of output in 100 KB blocks of 1 KiB lines.
const SPAM = `["${process.execPath}", "-e", "const l = 'x'.repeat(1023) + '\\\\n'; setInterval(() => process.stdout.write(l.repeat(100)), 100)"]`;

/** Polls `check` every 100 ms until it is truthy or `timeoutMs` passes; returns its last value. */
async function until(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v || Date.now() > deadline) return v;
    await sleep(100);
  }
}

/** A service fills the state dir with output: the daemon keeps serving, counts what it drops, and resumes. */
export const fullUnderOutput = chaosCase({ id: 'disk.full-under-output', group: 'Disk', title: 'a service printing ~1 MB/s fills the state dir (tmpfs), then space comes back', sandbox: 'full-output' }, async (run, p, c) => {
  const size = p.pick({ ci: '3m', short: '16m', long: '16m' });
  mountState(run, size);
  writeFileSync(`${run.projectDir}/tend.yaml`, `services:\n  spam:\n    command: ${SPAM}\n  quiet:\n    command: ["sleep", "1000"]\n`);
  const first = await run.cli(['start', '--json']);
  if (!c.expect(first.code === 0, `start: ${describe(first)}`)) return { figures: '', failures: c.failures };
  const [pid] = run.daemons();
  const t0 = Date.now();
  const full = await until(() => statfsSync(run.stateDir).bavail === 0, 60_000);
  c.expect(full, `the state dir never filled (${size})`);
  const fullMs = Date.now() - t0;
  // Two seconds on a full disk: what the daemon costs while every write would fail.
  const ticks0 = cpuTicks(pid);
  await sleep(2_000);
  const cpu = (cpuTicks(pid) - ticks0) / 2; // % of one core (100 ticks a second)
  const rss = rssBytes(pid);
  const ps = async () => {
    const r = await run.cli(['ps', '--json']);
    return r.code === 0 ? JSON.parse(r.stdout).services : null;
  };
  const whileFull = await ps();
  c.expect(alive(pid), 'the daemon died on the full disk');
  c.expect(whileFull !== null, 'ps failed while the disk was full: the endpoint is not answering');
  const spam = whileFull?.find((s) => s.name === 'spam');
  c.expect(spam?.state === 'running' && spam.droppedLines > 0, `ps while full: ${JSON.stringify(spam)} (want running, droppedLines > 0)`);
  const status = await run.cli(['status', '--json']);
  c.expect(status.code === 0 && JSON.parse(status.stdout).droppedLines > 0, `status while full: ${describe(status)} (want 0 and droppedLines > 0)`);
  // Space comes back: the service logs are deleted (the writer reopens its file after a failure).
  const logDir = `${run.instanceDir}/services`;
  for (const f of readdirSync(logDir)) rmSync(`${logDir}/${f}`, { force: true });
  const t1 = Date.now();
  const resumed = await until(() => existsSync(`${logDir}/spam.log`) && statSync(`${logDir}/spam.log`).size > 0, 15_000);
  const resumeMs = Date.now() - t1;
  c.expect(resumed, 'spam.log was not written again within 15 s of space coming back');
  const reported = await until(() => /could not be written between .* writing again/.test(readFileSync(run.file('daemon.log'), 'utf8')), 15_000);
  c.expect(reported, 'the daemon log never said how much was dropped once space came back');
  const after = await ps();
  const spamAfter = after?.find((s) => s.name === 'spam');
  c.expect(spamAfter?.pid === spam?.pid && spamAfter?.restarts === 0, `the service was restarted or lost: ${JSON.stringify(spamAfter)}`);
  const logBytes = statSync(run.file('daemon.log')).size;
  c.expect(logBytes < 64 * 1024, `daemon.log is ${logBytes} bytes: a line per failed write?`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(stop)}`);
  return {
    figures: `${size} full after ${(fullMs / 1000).toFixed(1)} s; while full: daemon ${cpu.toFixed(0)}% CPU, ${Math.round((rss ?? 0) / 1e6)} MB RSS, ${spam?.droppedLines ?? '?'} lines dropped; writing again ${(resumeMs / 1000).toFixed(1)} s after space came back; daemon.log ${(logBytes / 1024).toFixed(1)} KiB`,
    failures: c.failures,
  };
});

/** `rm -rf` of the instance dir under a running daemon, then status, start, stop. */
export const stateDeleted = chaosCase({ id: 'disk.state-deleted', group: 'Disk', title: 'instance dir deleted under a running daemon', sandbox: 'deleted' }, async (run, _p, c) => {
  const first = await expectStart(run, c);
  const [pid] = run.daemons();
  const watch = watchDaemons(run, 25);
  const t0 = Date.now();
  rmSync(run.instanceDir, { recursive: true, force: true });
  const status = await run.cli(['status']);
  const start = await run.cli(['start']);
  c.expect(start.code === 0, `start after the dir was deleted: ${describe(start)}`);
  const gone = await waitGone(pid, 15_000);
  const goneMs = Date.now() - t0;
  const seen = watch.stop();
  c.expect(gone, `the old daemon ${pid} still runs ${goneMs} ms after its state was deleted`);
  c.expect(seen.maxServing <= 1, `${seen.maxServing} daemons served at once for a while after the delete (old pid ${pid} still listening)`);
  c.expect(!hasStackTrace(status.stderr + start.stderr), 'stack trace');
  const after = await run.cli(['status']);
  c.expect(after.code === 0, `status once settled: ${describe(after)} (want 0: the new daemon)`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(stop)}`);
  c.expect(run.leftovers().length === 0, `files left: ${run.leftovers()}`);
  return {
    figures: `status right after: ${status.code} (${firstLine(status.stdout)}); start ${start.code}; old daemon gone after ${goneMs} ms; max serving ${seen.maxServing}`,
    failures: c.failures,
  };
});

function firstLine(text) {
  return (text.trim().split('\n')[0] ?? '').replace(/\/tmp\/tend-chaos-[^/ ]+/g, '<tmp>').slice(0, 140);
}
