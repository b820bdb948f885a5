/**
 * Shared test scaffolding for the supervisor: temp dirs, config builders, a
 * supervised instance that is always closed (plus a safety net that SIGKILLs
 * every process group it ever saw), and waits driven by events.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { groupMembers, killQuiet } from '../../src/services/process/process-group.js';
import { Supervisor, type SupervisorOptions } from '../../src/services/supervisor.js';
import { parseServiceLine } from '../../src/services/log/log-format.js';
import type { ProbeTiming, ProjectConfig, ReadyProbe, ServiceConfig } from '../../src/services/types.js';
import { isGone, waitGone } from '../helpers/proc.js';

/** Generous deadline for anything a test awaits. */
export const DEADLINE_MS = 15_000;

/** An AbortSignal for a test's waits: fail instead of hanging. */
export function deadline(ms = DEADLINE_MS): AbortSignal {
  return AbortSignal.timeout(ms);
}

/** A fresh temp dir, removed after the test: an instance dir in a private state root, as tend lays them out. */
export function tempDir(t: TestContext): string {
  const dir = instanceDir();
  t.after(() => rmSync(dirname(dir), { recursive: true, force: true }));
  return dir;
}

// State files are trusted only under a state root of the user's own (not /tmp itself).
function instanceDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'tend-svc-')), 'instance');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** A service config with test-friendly defaults. */
export function service(name: string, command: string | string[], extra: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name,
    command,
    cwd: tmpdir(),
    env: {},
    dependsOn: {},
    ready: null,
    restart: 'no',
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 3_000,
    ...extra,
  };
}

/** Probe timing for tests: quick attempts, many of them. */
export function timing(extra: Partial<ProbeTiming> = {}): ProbeTiming {
  return { intervalMs: 50, timeoutMs: 1_000, retries: 100, initialDelayMs: 0, ...extra };
}

/** A log probe. */
export function logProbe(pattern: string, extra: Partial<ProbeTiming> = {}): ReadyProbe {
  return { kind: 'log', pattern, ...timing(extra) };
}

/** A project holding `services`. */
export function project(services: ServiceConfig[]): ProjectConfig {
  return { file: null, kind: 'yaml', services, daemon: {} };
}

/** A supervisor in a temp dir, closed after the test, with every group it started killed for sure. */
export function supervise(t: TestContext, services: ServiceConfig[], options: Partial<SupervisorOptions> = {}): { sup: Supervisor; dir: string; logs: string[] } {
  const dir = options.instanceDir ?? instanceDir();
  const logs: string[] = [];
  const sup = new Supervisor(project(services), { log: (line) => logs.push(line), ...options, instanceDir: dir });
  const groups = new Set<number>();
  sup.onEvent(() => {
    for (const info of sup.list()) if (info.pid !== null) groups.add(info.pid);
  });
  t.after(async () => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([sup.close(), new Promise((resolve) => (timer = setTimeout(resolve, DEADLINE_MS)))]);
    clearTimeout(timer);
    killGroups(groups);
    // Only now: an exiting service may still write its log or services.json until close() is done.
    if (options.instanceDir === undefined) rmSync(dirname(dir), { recursive: true, force: true });
  });
  return { sup, dir, logs };
}

/** SIGKILLs every live process of the given groups (test teardown safety net). */
export function killGroups(groups: Iterable<number>): void {
  for (const pgid of groups) {
    for (const member of groupMembers(pgid)) killQuiet(member.pid, 'SIGKILL');
  }
}

/** Resolves once `check()` holds, re-checking on every supervisor event; rejects after the deadline. */
export function until(sup: Supervisor, check: () => boolean, what = 'condition', timeoutMs = DEADLINE_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}; services: ${JSON.stringify(sup.list())}`));
    }, timeoutMs);
    const off = sup.onEvent(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Resolves once the named service reaches `state`. */
export function untilState(sup: Supervisor, name: string, state: string, timeoutMs = DEADLINE_MS): Promise<void> {
  return until(sup, () => sup.get(name)?.state === state, `${name} to be ${state}`, timeoutMs);
}

/** True when the pid is gone (a zombie counts as gone): the harness's isGone. */
export const isDead = isGone;

/** Waits for processes that are not our children to be gone; nothing announces that, so poll. */
export async function waitDead(pids: number[], timeoutMs = DEADLINE_MS): Promise<boolean> {
  return (await Promise.all(pids.map((pid) => waitGone(pid, timeoutMs)))).every(Boolean);
}

/** The output a service log holds, as the service printed it: stamps removed, run markers dropped, each line ending in '\n'. */
export function logOutput(file: string): string {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => parseServiceLine(line))
    .filter((l) => l !== null && (l.kind === 'stdout' || l.kind === 'stderr'))
    .map((l) => `${l!.text}\n`)
    .join('');
}
