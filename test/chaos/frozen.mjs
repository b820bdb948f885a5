// A daemon stopped with SIGSTOP: every command that asks it must say it is
// not answering within the answer deadline (3 s), naming its pid and
// `tend stop --force`, instead of waiting out a 10–30 s timeout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chaosCase } from './case.mjs';
import { settleDaemons } from './monitor.mjs';
import { describeResult as describe, jsonPid } from '../helpers/cli.ts';
import { withRun } from './run.mjs';

// [argv, exit code wanted]: 4 (not answering) for service commands, 1 for start (its CONTRACT code).
const ASKS = [
  [['ps'], 4],
  [['reload'], 4],
  [['stop', 'web'], 4],
  [['start', 'web'], 4],
  [['start'], 1],
];

/** The frozen-daemon case. */
export const frozenDaemon = chaosCase({ id: 'answers.frozen-daemon', group: 'Answers', title: 'daemon SIGSTOPped: ps, reload, stop NAME, start NAME, start', sandbox: 'frozen' }, async (run, _p, c) => {
  writeFileSync(join(run.projectDir, 'tend.yaml'), 'services:\n  web:\n    command: sleep 600\n');
  const first = await run.cli(['start', '--json']);
  const pid = jsonPid(first);
  c.expect(first.code === 0 && pid, `start: ${describe(first)}`);
  process.kill(pid, 'SIGSTOP');
  const figures = [];
  try {
    for (const [args, want] of ASKS) {
      const r = await run.cli(args);
      figures.push(`${args.join(' ')} ${r.code} in ${r.ms} ms`);
      c.expect(r.code === want && /not answering/.test(r.stderr) && r.stderr.includes(`pid ${pid}`), `${args.join(' ')}: ${describe(r)} (want ${want}, not answering)`);
      c.expect(r.ms < 8_000, `${args.join(' ')} took ${r.ms} ms (deadline 3 s)`);
    }
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `final ${describe(stop)}`);
  return { figures: figures.join('; '), failures: c.failures };
});
