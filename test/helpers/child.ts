// A child process a test spawned itself: its output and its exit, awaited as events.
import type { ChildProcess } from 'node:child_process';

/** How a child ended, and all it printed. */
export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** SIGKILLed at the deadline. */
  timedOut: boolean;
}

/** Collects a piped child's stdout and stderr until it closes them and exits; SIGKILLs it after `timeoutMs` (default 60 s). */
export function outcomeOf(child: ChildProcess, timeoutMs = 60_000): Promise<ChildOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (c) => (stdout += c));
    child.stderr?.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => (stderr += String(err)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** Collects a child's stdout as text; `text()` returns it so far. */
export function collectStdout(child: ChildProcess): { text: () => string } {
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (c: string) => (out += c));
  return { text: () => out };
}

/** Resolves with a child's exit; rejects after `timeoutMs`. */
export function exitOf(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}
