// The daemon under test, seen from a sandbox: start it, find its processes,
// read its metadata, and check that nothing of it is left behind.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { procStartTime, waitGone } from './proc.js';
import { isDaemonMode, namesStateDir, scanProcesses } from './proc-scan.js';
import type { Sandbox } from './sandbox.js';
import { waitFor } from './wait.js';

/** daemon.json of the sandbox's instance, parsed; null when missing. */
export function readMetadataFile(box: Sandbox): Record<string, any> | null {
  return box.metadata();
}

/** Runs `start --json`, asserts it succeeded and returns what it printed. */
export async function startDaemon(box: Sandbox, args: string[] = [], env?: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  const r = await box.cli(['start', '--json', ...args], { env });
  assert.equal(r.code, 0, `start failed:\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout);
  assert.equal(out.state, 'running');
  return out;
}

/**
 * Live, non-zombie processes running this sandbox's daemon: in daemon mode,
 * and started with its state root or naming its project (the daemon's
 * process.title or its `__daemon --dir` argv), whatever state root a test gave it.
 */
export function daemonPids(box: Sandbox): number[] {
  return scanProcesses(
    (p) => isDaemonMode(p) && (namesStateDir(p, box.stateDir) || p.cmdline.includes(`tend daemon ${box.projectDir}`) || p.cmdline.includes(`--dir ${box.projectDir}`)),
  );
}

/** Asserts no daemon process, metadata, lock dir or owner record is left (processes get a grace period to exit). */
export async function assertNothingLeft(box: Sandbox, pids: number[] = []): Promise<void> {
  for (const pid of pids) assert.ok(await waitGone(pid, 10_000), `pid ${pid} is still alive`);
  await waitFor(() => daemonPids(box).length === 0, 10_000, 'the daemon processes to exit');
  assert.deepEqual(daemonPids(box), [], 'a daemon process is left');
  const p = box.paths();
  assert.equal(existsSync(p.metadataFile), false, 'daemon.json is left');
  assert.equal(existsSync(p.lockDir), false, 'the lock dir is left');
  assert.equal(existsSync(p.ownerFile), false, 'the owner record is left');
}

/** Field 22 of /proc/PID/stat of a live process: what the daemon records as processStartTime. */
export function startTimeOf(pid: number): string {
  const start = procStartTime(pid);
  assert.ok(start !== null, `no live process ${pid}`);
  return start;
}
