// A chaos case's sandbox: the harness's (test/helpers/sandbox.ts), with CLI
// runs that report a timeout instead of throwing (a hang is a finding), and
// tmpfs mounts undone in teardown.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { pollUntil } from '../../src/kit/poll.ts';
import { rawEndpoint } from '../helpers/raw-http.ts';
import { withSandbox } from '../helpers/sandbox.ts';

/** Exit codes CONTRACT documents for each command. */
export const DOCUMENTED_EXITS = { start: [0, 1], stop: [0, 1], status: [0, 1, 3, 4], restart: [0, 1], logs: [0] };

/**
 * Runs `fn(run)` in a fresh sandbox and always tears it down. `run` is a
 * Sandbox (test/helpers/sandbox.ts) plus `mount(dir, options)` and
 * `remount(dir, options)` (tmpfs, unmounted in teardown).
 */
export function withRun(name, fn) {
  return withSandbox({ prefix: `tend-chaos-${name}-`, cliTimeoutMs: 30_000 }, (run) => {
    const mounts = [];
    run.onDispose(() => {
      for (const dir of mounts.reverse()) {
        try {
          execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
        } catch {
          // Already unmounted.
        }
      }
    });
    run.mount = (dir, options) => {
      mkdirSync(dir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
      mounts.push(dir);
    };
    // Retries while the kernel says busy (a just-killed process's files).
    run.remount = async (dir, options, timeoutMs = 3_000) => {
      let last;
      const done = await pollUntil(
        () => {
          try {
            execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' });
            return true;
          } catch (err) {
            if (!/busy/i.test(String(err.stderr))) throw err;
            last = err;
            return null;
          }
        },
        { timeoutMs, intervalMs: 100 },
      );
      if (done.kind !== 'done') throw last;
    };
    return fn(run);
  });
}

/** Port, token and pid of the run's daemon, from its daemon.json. */
export function endpointOf(run) {
  const m = run.metadata();
  if (!m) throw new Error(`no daemon.json in ${run.instanceDir}`);
  return rawEndpoint(m);
}
