/** A configured command: what is exec'd for it, and why it cannot run, said for a person. */
import { statSync } from 'node:fs';

/** The executable and arguments for a configured command: a string runs under `/bin/sh -c`, an array is exec'd. */
export function commandLine(command: string | string[]): [string, string[]] {
  return typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0] ?? '', command.slice(1)];
}

/** Why spawning `command` failed: `cannot run "x": command not found`. */
export function spawnFailure(command: string | string[], err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const shown = typeof command === 'string' ? command : command.join(' ');
  if (code === 'ENOENT') return `cannot run "${shown}": command not found`;
  if (code === 'EACCES') return `cannot run "${shown}": permission denied`;
  return `cannot run "${shown}": ${(err as Error).message}`;
}

/** Why `dir` cannot be a working directory, or null when it can. */
export function directoryProblem(dir: string): string | null {
  try {
    return statSync(dir).isDirectory() ? null : `working directory ${dir} is not a directory`;
  } catch {
    return `working directory ${dir} does not exist`;
  }
}
