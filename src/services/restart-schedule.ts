/**
 * When a service that ended is started again: its restart rules (backoff,
 * give-up) over the supervisor's defaults, the run of failures so far, and
 * the one pending restart timer, which also waits for the old process group
 * to be gone, so two runs never overlap.
 */
import { restartRules, RestartTracker, type BackoffOptions, type FailureOptions, type RestartDecision } from './backoff.js';
import type { ServiceConfig } from './types.js';
import { delay } from './wait.js';

/** One service's restart rules, failure count and pending restart. */
export class RestartSchedule {
  private rules: { backoff: BackoffOptions; failure: FailureOptions };
  private tracker: RestartTracker;
  private timer: AbortController | null = null;

  constructor(
    config: ServiceConfig,
    private readonly defaults: { backoff: BackoffOptions; failure: FailureOptions },
  ) {
    this.rules = restartRules(config, defaults);
    this.tracker = new RestartTracker(this.rules.backoff, this.rules.failure);
  }

  /** The window within which a run counts as a fast failure. */
  get fastWindowMs(): number {
    return this.rules.failure.fastWindowMs;
  }

  /** Takes `config`'s rules afresh (it may have changed on reload) and forgets past failures. */
  renew(config: ServiceConfig): void {
    this.rules = restartRules(config, this.defaults);
    this.tracker = new RestartTracker(this.rules.backoff, this.rules.failure);
  }

  /** Forgets past failures (a restart for a change, not a failure). */
  reset(): void {
    this.tracker.reset();
  }

  /** Decides after a failed run that lasted `runMs`: back off, or give up. */
  next(runMs: number): RestartDecision {
    return this.tracker.next(runMs);
  }

  /** Calls `fire` after `delayMs` and once `leftovers` (the old group emptying) is done, unless cancelled first. */
  schedule(delayMs: number, leftovers: Promise<void>, fire: () => void): void {
    this.cancel();
    const timer = new AbortController();
    this.timer = timer;
    Promise.all([delay(delayMs, timer.signal), leftovers]).then(
      () => {
        if (this.timer !== timer) return;
        this.timer = null;
        fire();
      },
      () => {}, // cancelled
    );
  }

  /** Drops the pending restart, if any. */
  cancel(): void {
    this.timer?.abort();
    this.timer = null;
  }
}
