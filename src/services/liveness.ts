/**
 * The `live` probe of one ready process: an attempt every `interval`, and
 * after `failures` failed attempts in a row the process is declared
 * unhealthy (once; the runner restarts it). Started only once the service is
 * ready, ended by the process's own signal (exit or stop). A `log` probe
 * passes when a matching line came since its last pass (a heartbeat).
 */
import { attemptOnce, describeProbe, type ProbeContext } from './probes.js';
import type { LiveProbe } from './types.js';
import { delay } from './wait.js';

/** What the liveness loop reports. */
export interface LivenessListener {
  /** An attempt failed; `count` failures in a row so far (below the limit). */
  failed: (reason: string, count: number) => void;
  /** An attempt passed after one or more failures. */
  recovered: () => void;
  /** `failures` attempts in a row failed; the loop has ended. */
  unhealthy: (reason: string) => void;
}

/** Runs `probe` against a ready process until `ctx.signal` aborts or it is declared unhealthy. */
export async function watchLiveness(probe: LiveProbe, ctx: ProbeContext, on: LivenessListener): Promise<void> {
  let failures = 0;
  try {
    await delay(probe.initialDelayMs, ctx.signal);
    for (;;) {
      const failure = await attemptOnce(probe, ctx);
      if (ctx.signal.aborted) return;
      if (failure === null) {
        ctx.log?.reset(); // a log probe wants a fresh line each time: a heartbeat
        if (failures > 0) on.recovered();
        failures = 0;
      } else {
        failures += 1;
        const reason = `${describeProbe(probe)}: ${failure}`;
        if (failures >= probe.failures) return on.unhealthy(reason);
        on.failed(reason, failures);
      }
      await delay(probe.intervalMs, ctx.signal);
    }
  } catch {
    // aborted: the process ended or is being stopped
  }
}
