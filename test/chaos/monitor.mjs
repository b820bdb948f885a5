// Watching a run's daemons over time: how many processes are in daemon mode
// and how many of them serve a listener, sampled while a storm runs.
import { listeningPids, recordedPids } from '../helpers/proc-scan.ts';
import { pollUntil } from '../../src/kit/poll.ts';
import { alive } from '../helpers/proc.ts';

/** Live pids named as a daemon by the run's state files (daemon.json, daemon.owner.json). */
export function recordedDaemons(run) {
  return [...new Set(recordedPids(run.stateDir).filter((r) => !r.group && alive(r.pid)).map((r) => r.pid))];
}

/**
 * Samples the run's daemons every `intervalMs` until `stop()`, which returns
 * { samples, maxServing, maxProcs, maxRecorded, overlaps }: `maxRecorded` is
 * the most live pids the state files named as daemons at once; `overlaps`
 * lists the samples where more than one daemon process held a listening socket.
 */
export function watchDaemons(run, intervalMs = 50) {
  const seen = { samples: 0, maxServing: 0, maxProcs: 0, maxRecorded: 0, overlaps: [] };
  const sample = () => {
    const pids = run.daemons();
    const serving = listeningPids(pids);
    seen.samples++;
    seen.maxProcs = Math.max(seen.maxProcs, pids.length);
    seen.maxServing = Math.max(seen.maxServing, serving.length);
    seen.maxRecorded = Math.max(seen.maxRecorded, recordedDaemons(run).length);
    if (serving.length > 1 && seen.overlaps.length < 20) seen.overlaps.push({ at: new Date().toISOString(), pids: serving });
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return seen;
    },
  };
}

/** Waits until the run has `count` daemon processes (losers of a race exit on their own); returns the last list. */
export async function settleDaemons(run, count, timeoutMs = 5_000) {
  let pids = run.daemons();
  await pollUntil(() => (pids = run.daemons()).length === count || null, { timeoutMs, intervalMs: 25 });
  return pids;
}
