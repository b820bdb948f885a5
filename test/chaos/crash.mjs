// Crash points: the daemon SIGKILLs itself at each step of its life
// (TEND_TEST_FAULT, a test-only hook, src/kit/lifecycle/test-faults.ts). `start` must report it
// (exit 1, why), leave nothing behind, and the next `start` must recover.
import { checks } from './case.mjs';
import { settleDaemons } from './monitor.mjs';
import { describeResult as describe, hasStackTrace } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

/** Every fault step daemon-main knows. */
export const FAULT_STEPS = ['before-lock', 'after-lock', 'after-bind', 'after-metadata', 'before-ready', 'mid-drain'];

/** One case per step. */
export const crashCases = FAULT_STEPS.map((step) => ({
  id: `crash.${step}`,
  group: 'Crash points',
  title: `daemon SIGKILLed at ${step}`,
  run: () => withRun(`crash-${step}`, (run) => (step === 'mid-drain' ? midDrain(run) : beforeReady(run, step))),
}));

async function beforeReady(run, step) {
  const c = checks();
  const failed = await run.cli(['start'], { env: { TEND_TEST_FAULT: step } });
  c.expect(failed.code === 1, `faulted ${describe(failed)} (want exit 1)`);
  c.expect(/SIGKILL/.test(failed.stderr) && /before it was ready/.test(failed.stderr), `the message does not say what happened: ${failed.stderr.slice(0, 300)}`);
  c.expect(!hasStackTrace(failed.stderr), 'stack trace in the message');
  const left = await settleDaemons(run, 0, 3_000);
  c.expect(left.length === 0, `daemon processes left: ${left}`);
  c.expect(run.leftovers().length === 0, `files left after the failed start: ${run.leftovers()}`);
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status after the failed start: ${describe(status)} (want 3, stopped)`);
  const ok = await recover(run, c);
  return { figures: `start exit ${failed.code} in ${failed.ms} ms; status ${status.code}; recovery start ${ok.code} in ${ok.ms} ms`, failures: c.failures };
}

async function midDrain(run) {
  const c = checks();
  const started = await run.cli(['start'], { env: { TEND_TEST_FAULT: 'mid-drain' } });
  c.expect(started.code === 0, `start: ${describe(started)}`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0, `stop of a daemon that dies mid-drain: ${describe(stop)}`);
  const left = await settleDaemons(run, 0, 3_000);
  c.expect(left.length === 0, `daemon processes left: ${left}`);
  c.expect(run.leftovers().length === 0, `files left after stop: ${run.leftovers()}`);
  const status = await run.cli(['status']);
  c.expect(status.code === 3, `status: ${describe(status)} (want 3)`);
  const ok = await recover(run, c);
  return { figures: `stop exit ${stop.code} in ${stop.ms} ms; status ${status.code}; recovery start ${ok.code} in ${ok.ms} ms`, failures: c.failures };
}

async function recover(run, c) {
  const ok = await run.cli(['start']);
  c.expect(ok.code === 0, `recovery ${describe(ok)}`);
  // Waiting out the lock's stale time (10 s) would show here; a loaded machine's slow start would not.
  c.expect(ok.ms < 9_000, `recovery took ${ok.ms} ms`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0, `final ${describe(stop)}`);
  const left = await settleDaemons(run, 0, 3_000);
  c.expect(left.length === 0, `orphans after the final stop: ${left}`);
  c.expect(run.leftovers().length === 0, `files left after the final stop: ${run.leftovers()}`);
  return ok;
}
