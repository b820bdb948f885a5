// A child process a test spawned itself: its output and its exit, awaited as events.
import type { ChildProcess } from 'node:child_process';

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
