import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { instancePaths, type InstancePaths } from '../../src/kit/state/paths.js';
import { inspectProcess, readProcStat } from '../../src/kit/process/process-info.js';

/** The built CLI, run as a user would (TEND_TEST_CLI: another build of it). */
export const CLI = process.env.TEND_TEST_CLI ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp state root and project dir for one test, torn down by pid. */
export interface Sandbox {
  root: string;
  stateDir: string;
  projectDir: string;
  env: NodeJS.ProcessEnv;
  paths: () => InstancePaths;
  /** Runs `tend ARGS` to completion. */
  cli: (args: string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number }) => Promise<CliResult>;
  /** Spawns `tend ARGS` and returns the process (tracked, killed in teardown). */
  spawnCli: (args: string[], options?: { env?: NodeJS.ProcessEnv }) => ChildProcess;
  /** Writes a file under the project dir. */
  write: (rel: string, text: string) => string;
  /** Registers a pid this test started, to be killed in teardown. */
  track: (pid: number) => void;
}

/**
 * Makes a sandbox and registers its teardown on `t`: every process the test
 * started (tracked pids, the daemon and the services recorded in this
 * sandbox's own state dir) is killed by pid, then the dirs are removed.
 */
export function makeSandbox(t: TestContext, files: Record<string, string> = {}): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'tend-test-')));
  const stateDir = join(root, 'state');
  const projectDir = join(root, 'project');
  mkdirSync(projectDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, TEND_STATE_DIR: stateDir, NO_COLOR: '1' };
  delete env.TEND_DIR;
  delete env.XDG_STATE_HOME;
  const tracked = new Set<number>();
  const box: Sandbox = {
    root,
    stateDir,
    projectDir,
    env,
    paths: () => instancePaths(stateDir, projectDir),
    cli: (args, options = {}) => runCli(args, { ...env, ...options.env }, options.cwd ?? projectDir, options.timeoutMs ?? 60_000, tracked),
    spawnCli: (args, options = {}) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: projectDir, env: { ...env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      if (child.pid) tracked.add(child.pid);
      return child;
    },
    write: (rel, text) => {
      const file = join(projectDir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    track: (pid) => void tracked.add(pid),
  };
  for (const [rel, text] of Object.entries(files)) box.write(rel, text);
  t.after(async () => {
    await killSandboxProcesses(stateDir, tracked);
    rmSync(root, { recursive: true, force: true });
  });
  return box;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number, tracked: Set<number>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) tracked.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tend ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** True when `pid` is gone (a zombie counts as gone). */
export function isGone(pid: number): boolean {
  return inspectProcess(pid).kind === 'dead';
}

/** Waits until `pid` is gone; false on timeout. */
export async function waitGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isGone(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return isGone(pid);
}

/** Pids recorded in a sandbox's state dir: daemons (metadata, owner) and services (services.json). */
export function recordedPids(stateDir: string): { pid: number; group: boolean }[] {
  const out: { pid: number; group: boolean }[] = [];
  let dirs: string[] = [];
  try {
    dirs = readdirSync(stateDir).map((d) => join(stateDir, d));
  } catch {
    return out;
  }
  for (const dir of dirs) {
    for (const f of ['daemon.json', 'daemon.owner.json']) {
      try {
        const v = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        if (Number.isSafeInteger(v.pid) && v.pid > 1) out.push({ pid: v.pid, group: false });
      } catch {
        // Not there or not JSON.
      }
    }
    try {
      const v = JSON.parse(readFileSync(join(dir, 'services.json'), 'utf8'));
      const entries: { pid?: number; pgid?: number }[] = Array.isArray(v) ? v : (v.processes ?? v.services ?? []);
      for (const e of entries) if (Number.isSafeInteger(e.pgid ?? e.pid)) out.push({ pid: (e.pgid ?? e.pid)!, group: true });
    } catch {
      // No services recorded.
    }
  }
  return out;
}

async function killSandboxProcesses(stateDir: string, tracked: Set<number>): Promise<void> {
  const victims = [...recordedPids(stateDir), ...[...tracked].map((pid) => ({ pid, group: false }))];
  for (const { pid, group } of victims) {
    // Only processes whose session we know: a daemon is its own session leader.
    const stat = readProcStat(pid);
    if (stat === null || stat === 'no-proc') continue;
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    if (!group && stat.sid === pid) {
      try {
        process.kill(-pid, 'SIGKILL'); // the daemon's session: its services' groups are separate, handled above
      } catch {
        // No such group.
      }
    }
  }
  await Promise.all(victims.map(({ pid }) => waitGone(pid, 5_000)));
}
