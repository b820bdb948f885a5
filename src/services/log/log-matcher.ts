/**
 * The `log` readiness probe's eyes: watches one run's output lines for a
 * pattern. Lines are fed from the moment the process starts, so a match that
 * comes before the probe's first attempt still counts.
 */

/** Watches one run's output lines for a pattern and remembers the first match. */
export class LogMatcher {
  private readonly pattern: RegExp;
  private waiters: Array<() => void> = [];
  matched = false;

  constructor(pattern: string) {
    this.pattern = new RegExp(pattern);
  }

  /** Feeds one output line. */
  line(text: string): void {
    if (this.matched || !this.pattern.test(text)) return;
    this.matched = true;
    for (const wake of this.waiters) wake();
    this.waiters = [];
  }

  /** Forgets the match, so the next wait needs a new matching line (a `live` log probe's heartbeat). */
  reset(): void {
    this.matched = false;
  }

  /** Resolves at the first match (at once if already matched), or when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.matched || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
