/** Steps of the daemon's start (and shutdown) where a test can make it misbehave. */
export type FaultStep = 'before-lock' | 'after-lock' | 'after-bind' | 'after-metadata' | 'before-ready' | 'mid-drain';

/** Test-only misbehaviour; every field is off unless set. */
export interface TestFaults {
  /** SIGKILL the daemon itself when it reaches this step. */
  killAt?: FaultStep;
  /** Wait at this step until a stop is requested (a daemon that never says ready). */
  hangAt?: FaultStep;
  /** SIGTERM does nothing (a daemon `stop` must escalate against). */
  ignoreSigterm?: boolean;
}

const STEPS: readonly FaultStep[] = ['before-lock', 'after-lock', 'after-bind', 'after-metadata', 'before-ready', 'mid-drain'];

/** Reads `<NAME>_TEST_FAULT`: a step name (SIGKILL there), `hang-<step>`, or `ignore-sigterm`. Anything else: no fault. */
export function parseTestFaults(value: string | undefined): TestFaults {
  if (value === 'ignore-sigterm') return { ignoreSigterm: true };
  const step = (name: string | undefined) => STEPS.find((s) => s === name);
  if (value?.startsWith('hang-')) return { hangAt: step(value.slice(5)) };
  return { killAt: step(value) };
}

/** Acts out the fault set for `step`, if any; a hang ends when `stopping` aborts. */
export async function reachStep(faults: TestFaults, step: FaultStep, stopping: AbortSignal): Promise<void> {
  if (faults.killAt === step) process.kill(process.pid, 'SIGKILL');
  if (faults.hangAt === step && !stopping.aborted) {
    await new Promise((resolve) => stopping.addEventListener('abort', resolve, { once: true }));
  }
}
