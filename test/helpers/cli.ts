// The built CLI, run as a user runs it: `node dist/cli.js ARGS` in a
// directory with an environment, to completion or as a tracked child.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outcomeOf, type ChildOutcome } from './child.js';
import type { ProcessTracker } from './tracker.js';

/** The repository this harness belongs to. */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The CLI under test: $TEND_TEST_CLI (or $TEND_CHAOS_CLI), another build of it; else the repo's dist/cli.js. */
export function cliPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEND_TEST_CLI || env.TEND_CHAOS_CLI || join(REPO, 'dist', 'cli.js');
}

/** Result of one CLI run. */
export interface CliResult extends ChildOutcome {
  args: string[];
}

/** How to run the CLI. */
export interface CliOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Records the child, so teardown can kill it. */
  tracker: ProcessTracker;
  /** Another build to run (default cliPath()). */
  cli?: string;
  /** Node flags before the script (e.g. --max-old-space-size). */
  nodeArgs?: string[];
  /** SIGKILLed after this long. Default 60 s. */
  timeoutMs?: number;
  /**
   * In a fresh pid namespace and its own process group, so a kill(-1) or
   * kill(0) by a buggy tend could only hit itself, not this machine.
   */
  isolate?: boolean;
}

/** Spawns `tend ARGS` with stdout and stderr piped; tracked. */
export function spawnCli(args: string[], options: Omit<CliOptions, 'timeoutMs'>): ChildProcess {
  const argv = [...(options.nodeArgs ?? []), options.cli ?? cliPath(), ...args];
  const [cmd, cmdArgs] = options.isolate ? ['unshare', ['--pid', '--fork', '--mount-proc', process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(cmd, cmdArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: Boolean(options.isolate) });
  return options.tracker.trackChild(child, `tend ${args[0] ?? ''}`);
}

/** Runs `tend ARGS` to completion (SIGKILL at the deadline: `timedOut`). */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return { args, ...(await outcomeOf(spawnCli(args, options), options.timeoutMs)) };
}

/** One line describing a CLI result, for failure messages. */
export function describeResult(res: CliResult): string {
  const err = res.stderr.trim().split('\n').slice(0, 3).join(' | ');
  const how = res.timedOut ? 'TIMED OUT' : res.signal ? `signal ${res.signal}` : `exit ${res.code}`;
  return `tend ${res.args.join(' ')} -> ${how} in ${res.ms} ms${err ? `; stderr: ${err.slice(0, 300)}` : ''}`;
}

/** The pid the last JSON line of stdout names (`start --json`, `status --json`), or null. */
export function jsonPid(res: Pick<CliResult, 'stdout'>): number | null {
  try {
    const lines = res.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]!).pid ?? null;
  } catch {
    return null;
  }
}

/** A Node stack trace in output means an error escaped the CLI's boundary. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+:\d+:\d+\)?\s*(\n|$)/.test(text);
}
