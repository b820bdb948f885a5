// Services left behind and slow stops. Whoever finds a dead daemon's state
// (stop, stop --force, start, run, a start that gives up) stops the service
// processes it recorded and says so; `stop` never reports success while one
// of them lives; a second Ctrl-C in `run` escalates and still cleans up; a
// slow but healthy shutdown (a service ignoring SIGTERM, 1,000 services, a
// deep dependency chain) succeeds with plain `stop`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chaosCase } from './case.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pollUntil } from '../../src/kit/poll.ts';
import { alive, waitGone } from '../helpers/proc.ts';
import { cliPath, describeResult as describe, jsonPid } from '../helpers/cli.ts';
import { PTY_CTRL_C, runPtyScript } from '../helpers/pty.ts';
import { withRun } from './run.mjs';

const GROUP = 'Leftovers and slow stops';

/** A service with a grandchild (the shell's `sleep`). */
const SLEEPER = { command: "sh -c 'sleep 1000 & wait'" };
/** A service whose whole group ignores SIGTERM (SIG_IGN is inherited across exec). */
const STUBBORN = { command: `sh -c "trap '' TERM; echo stubborn up; sleep 1000 & wait"` };

function writeServices(run, services) {
  const lines = ['services:'];
  for (const [name, s] of Object.entries(services)) {
    lines.push(`  ${name}:`, `    command: ${JSON.stringify(s.command)}`);
    if (s.dependsOn) lines.push(`    depends_on: [${s.dependsOn}]`);
    if (s.stopTimeout) lines.push(`    stop_timeout: ${s.stopTimeout}`);
  }
  writeFileSync(join(run.projectDir, 'tend.yaml'), lines.join('\n') + '\n');
}

const sleepers = (n, prefix = 'svc') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, SLEEPER]));

/** Live processes of the run that are not daemons: its services (and any CLI still running). */
function serviceProcesses(run) {
  const daemons = new Set(run.daemons());
  return run.processes().filter((pid) => !daemons.has(pid));
}

// Each service is a shell and the child it forks; nothing announces the fork.
async function forked(run, count) {
  await pollUntil(() => serviceProcesses(run).length >= count || null, { timeoutMs: 5_000, intervalMs: 20 });
}

async function settled(pids, timeoutMs = 3_000) {
  await Promise.all(pids.map((pid) => waitGone(pid, timeoutMs)));
  return pids.filter(alive);
}

async function upWithServices(run, c, services, args = []) {
  writeServices(run, services);
  const up = await run.cli(['start', '--wait', '--json', ...args], { timeoutMs: 300_000 });
  c.expect(up.code === 0, `start: ${describe(up)}`);
  return { pid: jsonPid(up), up };
}

// The services' logs stay, as the daemon log does.
function expectClean(run, c, what) {
  const left = run.leftovers().filter((f) => f !== 'services');
  c.expect(left.length === 0, `${what}: files left: ${left}`);
}

/** kill -9 of the daemon, then `stop`: the services it left are stopped and named. */
export const killedThenStop = chaosCase({ id: 'leftovers.kill9-then-stop', group: GROUP, title: 'kill -9 of the daemon, then stop', sandbox: 'kill9-stop' }, async (run, p, c) => {
  const n = p.pick({ ci: 10, short: 30, long: 30 });
  const { pid } = await upWithServices(run, c, sleepers(n));
  await forked(run, 2 * n);
  const before = serviceProcesses(run);
  process.kill(pid, 'SIGKILL');
  await waitGone(pid);
  const stop = await run.cli(['stop']);
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(stop.code === 0, `stop: ${describe(stop)}`);
  c.expect(left.length === 0, `${left.length} service processes left running after stop: ${left.slice(0, 10)}`);
  c.expect(/stopped \d+ service process/.test(stop.stdout) && stop.stdout.includes('svc0'), `stop does not say what it stopped: ${stop.stdout.trim()}`);
  expectClean(run, c, 'after stop');
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status: ${describe(status)} (want 3)`);
  return { figures: `${before.length} service processes of ${n} services; stop exit ${stop.code} in ${stop.ms} ms; left running ${left.length}`, failures: c.failures };
});

/** A SIGSTOPped daemon, `stop --force`: the daemon is killed, and so are its services. */
export const forceStopped = chaosCase({ id: 'leftovers.force-sigstopped', group: GROUP, title: 'stop --force of a SIGSTOPped daemon', sandbox: 'force-stopped' }, async (run, _p, c) => {
  const { pid } = await upWithServices(run, c, sleepers(5));
  await forked(run, 10);
  const before = serviceProcesses(run);
  process.kill(pid, 'SIGSTOP');
  const stop = await run.cli(['stop', '--timeout', '1', '--force']);
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(stop.code === 0, `stop --force: ${describe(stop)}`);
  c.expect(!alive(pid), `daemon ${pid} still alive`);
  c.expect(left.length === 0, `${left.length} service processes left running: ${left}`);
  c.expect(/stopped \d+ service process/.test(stop.stdout), `stop does not say it stopped the services: ${stop.stdout.trim()}`);
  expectClean(run, c, 'after stop --force');
  return { figures: `${before.length} service processes; stop --force exit ${stop.code} in ${stop.ms} ms; left running ${left.length}`, failures: c.failures };
});

/** The daemon is SIGKILLed 0.5 s into `stop` (it is waiting on a service that ignores SIGTERM). */
export const killedMidStop = chaosCase({ id: 'leftovers.killed-mid-stop', group: GROUP, title: 'daemon SIGKILLed 0.5 s into stop', sandbox: 'mid-stop' }, async (run, _p, c) => {
  const { pid } = await upWithServices(run, c, { stubborn: STUBBORN, ...sleepers(3) });
  await forked(run, 8);
  const stopping = run.cli(['stop']);
  await sleep(500);
  process.kill(pid, 'SIGKILL');
  const stop = await stopping;
  const leftAtReturn = serviceProcesses(run);
  c.expect(stop.code === 0, `stop: ${describe(stop)}`);
  c.expect(!(/stopped/.test(stop.stdout) && leftAtReturn.length > 0), `stop said "${stop.stdout.trim()}" with ${leftAtReturn.length} service processes alive`);
  c.expect(leftAtReturn.length === 0, `${leftAtReturn.length} service processes left running: ${leftAtReturn}`);
  expectClean(run, c, 'after stop');
  return { figures: `stop exit ${stop.code} in ${stop.ms} ms: "${stop.stdout.trim().split('\n')[0]}"; left running ${leftAtReturn.length}`, failures: c.failures };
});

/** `start --wait-timeout` gives up (the daemon never says ready) while a service ignores SIGTERM: nothing is left. */
export const startGivesUp = chaosCase({ id: 'leftovers.start-gives-up', group: GROUP, title: 'start --wait-timeout gives up with a service ignoring SIGTERM', sandbox: 'start-gives-up' }, async (run, _p, c) => {
  writeServices(run, { stubborn: STUBBORN, ...sleepers(2) });
  // The services are up; the daemon never says ready (a test fault), so start gives up on it.
  const start = await run.cli(['start', '--wait-timeout', '1.5'], { timeoutMs: 60_000, env: { TEND_TEST_FAULT: 'hang-before-ready' } });
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(start.code === 1, `start: ${describe(start)} (want 1: never ready)`);
  c.expect(left.length === 0, `${left.length} service processes left running: ${left}`);
  expectClean(run, c, 'after the failed start');
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status: ${describe(status)} (want 3)`);
  return { figures: `start exit ${start.code} in ${start.ms} ms; left running ${left.length}`, failures: c.failures };
});

/** `tend run` in a pty, Ctrl-C twice while a service ignores SIGTERM: escalates, leaves nothing. */
export const runTwoInterrupts = chaosCase({ id: 'leftovers.run-two-ctrl-c', group: GROUP, title: 'run in a terminal, Ctrl-C twice', sandbox: 'run-ctrlc' }, async (run, _p, c) => {
  writeServices(run, { stubborn: STUBBORN, ...sleepers(2) });
  const started = Date.now();
  const res = await ptyCtrlC(run, ['run'], { ready: 'stubborn \\| stubborn up', afterFirst: 'stopping', count: 2, timeoutS: 30 });
  const ms = Date.now() - started;
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(!res.timedOut, `run did not exit after the second Ctrl-C: ${res.output.slice(-400)}`);
  c.expect(res.exit === 0 || res.exit === 130, `run exit ${res.exit} signal ${res.signal} (want 0 or 130): ${res.output.slice(-400)}`);
  c.expect(left.length === 0, `${left.length} service processes left running: ${left}`);
  expectClean(run, c, 'after run');
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status: ${describe(status)} (want 3, no stale state)`);
  return { figures: `run exit ${res.exit} after ${res.ctrlC} Ctrl-C (${ms} ms in all); left running ${left.length}; status ${status.code}`, failures: c.failures };
});

/** A service ignoring SIGTERM with the default stop_timeout (10 s): plain stop and restart succeed. */
export const stubbornService = chaosCase({ id: 'stop.stubborn-service', group: GROUP, title: 'a service ignores SIGTERM (default stop_timeout 10s): stop, restart', sandbox: 'stubborn' }, async (run, _p, c) => {
  await upWithServices(run, c, { stubborn: STUBBORN });
  const restart = await run.cli(['restart', '--json'], { timeoutMs: 120_000 });
  c.expect(restart.code === 0, `restart: ${describe(restart)}`);
  const status = await run.cli(['status', '--json']);
  const services = status.code === 0 ? JSON.parse(status.stdout).services ?? [] : [];
  c.expect(status.code === 0 && services.some((s) => s.name === 'stubborn' && s.state === 'running'), `after restart: ${describe(status)} ${status.stdout.slice(0, 300)}`);
  const stop = await run.cli(['stop'], { timeoutMs: 120_000 });
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(stop.code === 0, `stop: ${describe(stop)}`);
  c.expect(left.length === 0, `${left.length} service processes left running: ${left}`);
  expectClean(run, c, 'after stop');
  return { figures: `restart exit ${restart.code} in ${restart.ms} ms; stop exit ${stop.code} in ${stop.ms} ms; left running ${left.length}`, failures: c.failures };
});

/** Many services: start --wait, then a plain stop. */
export const manyServices = chaosCase({ id: 'stop.many-services', group: GROUP, title: 'stop of many services', sandbox: 'many' }, async (run, p, c) => {
  const n = p.pick({ ci: 300, short: 1000, long: 2000 });
  const services = Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { command: 'sleep 1000' }]));
  const { up } = await upWithServices(run, c, services, ['--wait-timeout', '300']);
  const before = serviceProcesses(run).length;
  const stop = await run.cli(['stop'], { timeoutMs: 600_000 });
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(stop.code === 0, `stop: ${describe(stop)}`);
  c.expect(left.length === 0, `${left.length} service processes left running`);
  expectClean(run, c, 'after stop');
  return { figures: `${n} services (${before} processes): start --wait ${up.ms} ms; stop exit ${stop.code} in ${stop.ms} ms; left running ${left.length}`, failures: c.failures };
});

/** A deep dependency chain stops one level after the other: plain stop must wait for it. */
export const deepChain = chaosCase({ id: 'stop.deep-chain', group: GROUP, title: 'stop of a deep dependency chain', sandbox: 'chain' }, async (run, p, c) => {
  const n = p.pick({ ci: 50, short: 200, long: 500 });
  const services = Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, { command: 'sleep 1000', ...(i ? { dependsOn: `c${i - 1}` } : {}) }]));
  const { up } = await upWithServices(run, c, services, ['--wait-timeout', '300']);
  const stop = await run.cli(['stop'], { timeoutMs: 600_000 });
  const left = await settled(serviceProcesses(run), 1_000);
  c.expect(stop.code === 0, `stop: ${describe(stop)}`);
  c.expect(left.length === 0, `${left.length} service processes left running`);
  expectClean(run, c, 'after stop');
  return { figures: `chain of ${n}: start --wait ${up.ms} ms; stop exit ${stop.code} in ${stop.ms} ms; left running ${left.length}`, failures: c.failures };
});

/** The cases of this file, in table order. */
export const leftoverCases = [killedThenStop, forceStopped, killedMidStop, startGivesUp, runTwoInterrupts, stubbornService, manyServices, deepChain];

function ptyCtrlC(run, args, { ready, afterFirst, count, timeoutS }) {
  const argv = [process.execPath, cliPath(), ...args];
  return runPtyScript(run, PTY_CTRL_C, [ready, afterFirst, String(count), String(timeoutS), '--'], argv, (res) => res.timedOut);
}
