// Races: concurrent `start`s, and a storm of start/stop/restart/status from
// several processes. Invariants: at most one daemon serves at any sampled
// instant, exactly one daemon process once the starters are done, every
// command exits with a documented code, nothing left after the final stop.
import { chaosCase, rng, stats } from './case.mjs';
import { settleDaemons, watchDaemons } from './monitor.mjs';
import { alive, waitGone } from '../helpers/proc.ts';
import { describeResult as describe, hasStackTrace, jsonPid } from '../helpers/cli.ts';
import { DOCUMENTED_EXITS, withRun } from './run.mjs';

/** `rounds` × 8 concurrent `start --json`; odd rounds race on a SIGKILLed daemon's state. */
export const concurrentStarts = chaosCase({ id: 'races.concurrent-start', group: 'Races', title: '8 concurrent starts per round (odd rounds: after kill -9)', sandbox: 'races' }, async (run, p, c) => {
  const rounds = p.pick({ ci: 2, short: 10, long: 50 });
  const n = 8;
  const times = [];
  const codes = {};
  let maxServing = 0;
  let maxProcs = 0;
  let maxRecorded = 0;
  let prev = null;
  for (let r = 0; r < rounds; r++) {
    if (prev !== null && r % 2 === 1) {
      process.kill(prev, 'SIGKILL');
      c.expect(await waitGone(prev, 5_000), `round ${r}: the killed daemon ${prev} did not go`);
    } else if (prev !== null) {
      const s = await run.cli(['stop']);
      c.expect(s.code === 0, `round ${r}: ${describe(s)}`);
    }
    const watch = watchDaemons(run);
    const results = await Promise.all(Array.from({ length: n }, () => run.cli(['start', '--json'])));
    const seen = watch.stop();
    maxServing = Math.max(maxServing, seen.maxServing);
    maxProcs = Math.max(maxProcs, seen.maxProcs);
    maxRecorded = Math.max(maxRecorded, seen.maxRecorded);
    c.expect(seen.maxRecorded <= 1, `round ${r}: the state files named ${seen.maxRecorded} live daemons at once`);
    for (const res of results) {
      codes[res.code] = (codes[res.code] ?? 0) + 1;
      times.push(res.ms);
      c.expect(res.code === 0 && !res.timedOut, `round ${r}: ${describe(res)}`);
      c.expect(!hasStackTrace(res.stderr), `round ${r}: stack trace: ${res.stderr.slice(0, 400)}`);
    }
    const pids = new Set(results.map(jsonPid));
    c.expect(pids.size === 1 && !pids.has(null), `round ${r}: starts named ${pids.size} pids: ${[...pids].join(', ')}`);
    const live = await settleDaemons(run, 1, 3_000);
    c.expect(live.length === 1 && pids.has(live[0]), `round ${r}: live daemons ${JSON.stringify(live)} vs reported ${[...pids]}`);
    c.expect(seen.maxServing <= 1, `round ${r}: ${seen.maxServing} daemons served at once: ${JSON.stringify(seen.overlaps)}`);
    prev = live[0] ?? null;
  }
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0, `final ${describe(stop)}`);
  const orphans = await settleDaemons(run, 0, 5_000);
  c.expect(orphans.length === 0, `orphans after the final stop: ${orphans}`);
  c.expect(run.leftovers().length === 0, `files left: ${run.leftovers()}`);
  const t = stats(times);
  return {
    figures: `${rounds} rounds, ${rounds * n} starts, exits ${fmtCodes(codes)}; max serving ${maxServing} (state files named ≤ ${maxRecorded} live), daemon-mode procs ≤ ${maxProcs} (losers exit before binding); start p50 ${t.p50} ms, max ${t.max} ms; orphans ${orphans.length}`,
    failures: c.failures,
  };
});

const WEIGHTS = [['start', 3], ['stop', 2], ['restart', 2], ['status', 3]];

function pickCommand(rand) {
  let x = rand() * WEIGHTS.reduce((s, [, w]) => s + w, 0);
  for (const [cmd, w] of WEIGHTS) if ((x -= w) < 0) return cmd;
  return 'status';
}

/** Several workers each run random lifecycle commands back to back. */
export const mixedStorm = chaosCase({ id: 'races.mixed-storm', group: 'Races', title: 'start/stop/restart/status storm from several processes', sandbox: 'storm' }, async (run, p, c) => {
  const workers = p.pick({ ci: 3, short: 4, long: 6 });
  const ops = p.pick({ ci: 5, short: 10, long: 60 });
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 100000);
  const byCmd = {};
  const failuresSeen = {};
  const watch = watchDaemons(run);
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const rand = rng(seed + w);
      for (let i = 0; i < ops; i++) {
        const cmd = pickCommand(rand);
        const res = await run.cli([cmd], { timeoutMs: 45_000 });
        const h = (byCmd[cmd] ??= {});
        h[res.code ?? res.signal] = (h[res.code ?? res.signal] ?? 0) + 1;
        c.expect(!res.timedOut && DOCUMENTED_EXITS[cmd].includes(res.code), `undocumented: ${describe(res)}`);
        c.expect(!hasStackTrace(res.stderr), `stack trace from ${cmd}: ${res.stderr.slice(0, 400)}`);
        if (res.code !== 0 && cmd !== 'status') {
          const why = res.stderr.trim().split('\n')[0]?.replace(/\d+/g, 'N').slice(0, 120) ?? '';
          failuresSeen[`${cmd}: ${why}`] = (failuresSeen[`${cmd}: ${why}`] ?? 0) + 1;
        }
      }
    }),
  );
  const seen = watch.stop();
  c.expect(seen.maxServing <= 1, `${seen.maxServing} daemons served at once: ${JSON.stringify(seen.overlaps)}`);
  c.expect(seen.maxRecorded <= 1, `the state files named ${seen.maxRecorded} live daemons at once`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0, `final ${describe(stop)}`);
  const orphans = await settleDaemons(run, 0, 5_000);
  c.expect(orphans.length === 0, `orphans after the final stop: ${orphans.filter(alive)}`);
  c.expect(run.leftovers().length === 0, `files left: ${run.leftovers()}`);
  const hist = Object.entries(byCmd).map(([cmd, h]) => `${cmd} ${fmtCodes(h)}`).join('; ');
  const notes = Object.entries(failuresSeen).map(([k, v]) => `${v}× ${k}`);
  return {
    figures: `seed ${seed}, ${workers}×${ops} ops: ${hist}; max serving ${seen.maxServing} (state files named ≤ ${seen.maxRecorded} live), daemon-mode procs ≤ ${seen.maxProcs}; orphans ${orphans.length}`,
    notes,
    failures: c.failures,
  };
});

function fmtCodes(h) {
  return Object.entries(h).map(([k, v]) => `${k}:${v}`).join(' ');
}
