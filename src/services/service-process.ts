/**
 * Starting one process of a service, and the words used to describe it:
 * a string command runs under `/bin/sh -c`, an array is exec'd as is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { ServiceConfig } from './types.js';

/** A spawned process, or why there is none (known at once). */
export type SpawnOutcome = { ok: true; child: ChildProcess } | { ok: false; reason: string };

/**
 * Spawns the service detached (its own session and process group, so the
 * whole tree can be signalled), stdin ignored, stdout/stderr piped. A missing
 * command is reported later, by the child's 'error' event with no pid.
 */
export function spawnService(config: ServiceConfig, baseEnv: NodeJS.ProcessEnv): SpawnOutcome {
  // Checked here because spawn blames the command ("spawn /bin/sh ENOENT") for a missing cwd.
  const cwdProblem = checkDirectory(config.cwd);
  if (cwdProblem !== null) return { ok: false, reason: cwdProblem };
  const [file, args] = commandLine(config.command);
  try {
    const child = spawn(file, args, {
      cwd: config.cwd,
      env: { ...baseEnv, ...config.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, child };
  } catch (err) {
    return { ok: false, reason: spawnFailure(config.command, err) };
  }
}

/** The executable and arguments for a configured command. */
export function commandLine(command: string | string[]): [string, string[]] {
  return typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0] ?? '', command.slice(1)];
}

/** Why a command could not be started, in words. */
export function spawnFailure(command: string | string[], err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const shown = typeof command === 'string' ? command : command.join(' ');
  if (code === 'ENOENT') return `cannot run "${shown}": command not found`;
  if (code === 'EACCES') return `cannot run "${shown}": permission denied`;
  return `cannot run "${shown}": ${(err as Error).message}`;
}

/** "exited with code 1" / "killed by SIGKILL". */
export function describeExit(code: number | null, signal: string | null): string {
  return signal !== null ? `killed by ${signal}` : `exited with code ${code ?? '?'}`;
}

function checkDirectory(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : `working directory ${dir} is not a directory`;
  } catch {
    return `working directory ${dir} does not exist`;
  }
}
