/**
 * What a service's exit means, in words: the shell's conventions (127: the
 * command was not found, 126: found but not executable, 128+N: killed by
 * signal N) and SIGKILL, which on a dev machine is most often the OOM killer.
 * Used by the daemon's log lines, `ps` and start's failure messages.
 */

/** A short explanation of an exit code or signal, or null when there is none to add. */
export function exitHint(code: number | null, signal: string | null): string | null {
  if (signal === 'SIGKILL' || code === 137) return 'killed (SIGKILL; out of memory?)';
  if (code === 127) return 'command not found';
  if (code === 126) return 'not executable';
  return null;
}

/** `exited with code 127 (command not found)`, `killed by SIGTERM`. */
export function describeExit(code: number | null, signal: string | null): string {
  const base = signal !== null ? `killed by ${signal}` : `exited with code ${code ?? '?'}`;
  const hint = exitHint(code, signal);
  // "killed by SIGKILL (killed (SIGKILL…))" says it twice.
  if (signal === 'SIGKILL') return `${base} (out of memory?)`;
  return hint ? `${base} (${hint})` : base;
}

/** The `ps` LAST EXIT cell: `code 127 (command not found)`, `SIGKILL (out of memory?)`, `-`. */
export function lastExitCell(code: number | null, signal: string | null): string {
  if (code === null && signal === null) return '-';
  const base = code !== null ? `code ${code}` : signal!;
  if (signal === 'SIGKILL') return `${base} (out of memory?)`;
  const hint = exitHint(code, signal);
  return hint ? `${base} (${hint})` : base;
}
