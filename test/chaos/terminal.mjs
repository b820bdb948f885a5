// The terminal of `tend run` goes away: closed (a real pty whose master is
// closed: SIGHUP, then EIO on every write) or its reader leaves (`| head -1`:
// EPIPE). Wanted: run stops cleanly, its services are gone, its state is
// removed, and the daemon log stays small (no handler writes to the stream
// that failed, in a loop or otherwise).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { chaosCase } from './case.mjs';
import { alive, waitGone } from '../helpers/proc.ts';
import { cliPath } from '../helpers/cli.ts';
import { PTY_HANGUP, runPtyScript } from '../helpers/pty.ts';
import { withRun } from './run.mjs';

const CHATTY = `services:\n  tick:\n    command: ["${process.execPath}", "-e", "setInterval(() => console.log('tick', Date.now()), 5)"]\n`;

function servicePids(text) {
  return [...text.matchAll(/\[tick\] started, pid (\d+)/g)].map((m) => Number(m[1]));
}

/** After run ended: its services, state and log. */
async function leftBehind(c, run, pids) {
  for (const pid of pids) c.expect(await waitGone(pid, 10_000), `service pid ${pid} outlived the run`);
  for (const f of ['daemon.json', 'daemon.lock', 'daemon.owner.json', 'services.json']) c.expect(!existsSync(run.file(f)), `${f} was left behind`);
  const bytes = existsSync(run.file('daemon.log')) ? statSync(run.file('daemon.log')).size : 0;
  c.expect(bytes < 64 * 1024, `daemon.log grew to ${bytes} bytes`);
  return bytes;
}

/** The pty of `tend run` is closed while a service prints. */
export const hangupRun = chaosCase({ id: 'terminal.hangup-run', group: 'Terminal', title: 'the terminal of `tend run` closes (real pty) while a service prints', sandbox: 'hangup' }, async (run, _p, c) => {
  writeFileSync(`${run.projectDir}/tend.yaml`, CHATTY);
  let r;
  try {
    r = await runPtyScript(run, PTY_HANGUP, ['tick \\d+', '20'], [process.execPath, cliPath(), 'run'], (res) => !res.exited);
  } catch (err) {
    return { figures: '', failures: [String(err.message)] };
  }
  c.expect(r.ready, 'run never printed a line');
  c.expect(r.exited, `run still alive 20 s after its terminal closed (pid ${r.pid}: ${alive(r.pid) ? 'alive' : 'gone'})`);
  c.expect(r.exited && r.signal === 'SIGHUP', `run ended with ${JSON.stringify({ code: r.code, signal: r.signal })} (want: dead of SIGHUP once clean)`);
  const bytes = await leftBehind(c, run, servicePids(r.output));
  return { figures: `run ended by ${r.signal ?? `exit ${r.code}`}; daemon.log ${(bytes / 1024).toFixed(1)} KiB`, failures: c.failures };
});

/** `tend run | head -1`: the reader of run's stdout leaves. */
export const epipeRun = chaosCase({ id: 'terminal.epipe-run', group: 'Terminal', title: '`tend run | head -1`: the reader of its output leaves', sandbox: 'epipe' }, async (run, _p, c) => {
  writeFileSync(`${run.projectDir}/tend.yaml`, CHATTY);
  const child = run.spawnCli(['run']);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.stdout.destroy(); // what head does after its line
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 20_000).unref());
  const how = await Promise.race([exited, timeout]);
  c.expect(how !== null, 'run still alive 20 s after the reader left');
  c.expect(how?.code === 0, `run ended with ${JSON.stringify(how)} (want exit 0)`);
  const bytes = await leftBehind(c, run, servicePids(stderr));
  return { figures: `run ended with exit ${how?.code ?? '?'}; daemon.log ${(bytes / 1024).toFixed(1)} KiB`, failures: c.failures };
});
