import type { ReapContext, ReapHook, ReapReport } from '../define.js';
import { DaemonError } from '../errors.js';

/** Where the tool's reap hook comes from (DaemonDefinition.reap). */
export type ReapLoader = () => Promise<ReapHook>;

/** Default grace between SIGTERM and SIGKILL for what a dead daemon left. */
export const REAP_GRACE_MS = 5_000;

/**
 * Runs the tool's reap hook: stops what a daemon that is gone left running.
 * Null when the tool has none. Throws STOP_TIMEOUT when something survived
 * SIGKILL, so no caller reports success while it lives.
 */
export async function reapLeftovers(load: ReapLoader | undefined, ctx: ReapContext): Promise<ReapReport | null> {
  if (load === undefined) return null;
  let report: ReapReport;
  try {
    report = await (await load())(ctx);
  } catch (err) {
    if (err instanceof DaemonError) throw err;
    throw new DaemonError('STATE_UNREADABLE', `stopping what the daemon left running: ${(err as Error).message}`, { cause: err });
  }
  if (report.survivors.length > 0) {
    const pids = report.survivors.join(', ');
    throw new DaemonError('STOP_TIMEOUT', `${report.summary ? report.summary + '; ' : ''}pid ${pids} still alive after SIGKILL (stuck in the kernel?)`);
  }
  return report;
}

/**
 * In a daemon that just took the lock: stops what a killed predecessor left
 * (or, escalating on a second stop signal, this daemon's own children at
 * once). Never throws: the outcome goes to the log.
 */
export async function reapInDaemon(load: ReapLoader | undefined, ctx: ReapContext & { log: (line: string) => void; why: string }): Promise<void> {
  try {
    const report = await reapLeftovers(load, ctx);
    if (report?.stopped) ctx.log(`${report.summary} (${ctx.why})`);
  } catch (err) {
    ctx.log((err as Error).message);
  }
}

/**
 * What a daemon does on SIGINT while it is already stopping (Ctrl-C twice in
 * `run`): the first time, SIGKILL its children at once through the reap
 * hook, so the teardown under way finishes and still cleans up; the next
 * time, or with no hook to call, exit 130 at once.
 */
export function escalation(load: ReapLoader | undefined, paths: ReapContext['paths'], log: (line: string) => void): () => void {
  let escalated = false;
  return () => {
    // The daemon's own shutdown path: the user insisted, nothing is left to wait for.
    if (escalated || load === undefined) process.exit(130);
    escalated = true;
    log('interrupted again: killing what is still running');
    void reapInDaemon(load, { paths, graceMs: 0, log, why: 'interrupted twice' });
  };
}
