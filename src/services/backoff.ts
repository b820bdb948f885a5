/**
 * When to restart a crashed service: capped exponential delays, and the
 * crash-loop rule that gives up after too many short-lived runs in a row.
 */
import type { RestartPolicy, RestartTuning } from './types.js';

/** Delays between restarts, in milliseconds. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

/** When a service that keeps dying is declared failed. */
export interface FailureOptions {
  /** Give up after this many consecutive runs that each lasted less than fastWindowMs. */
  maxFastFailures: number;
  fastWindowMs: number;
}

/** Defaults: 250 ms, doubling, at most 15 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 15_000, factor: 2 };

/** Defaults: five runs in a row shorter than 10 s. */
export const DEFAULT_FAILURE: FailureOptions = { maxFastFailures: 5, fastWindowMs: 10_000 };

/** What to do after a run that ended and is due a restart. */
export type RestartDecision = { kind: 'restart'; delayMs: number } | { kind: 'give-up'; fastFailures: number };

/** Tracks one service's restarts: the backoff step and the run of fast failures. */
export class RestartTracker {
  private step = 0;
  private fastFailures = 0;

  constructor(
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly failure: FailureOptions = DEFAULT_FAILURE,
  ) {}

  /** Decides after a run that lasted `runMs` and is due a restart by policy. */
  next(runMs: number): RestartDecision {
    if (runMs >= this.failure.fastWindowMs) {
      // A run that stayed up long enough means the service works: start over.
      this.step = 0;
      this.fastFailures = 0;
    } else {
      this.fastFailures += 1;
      if (this.fastFailures >= this.failure.maxFastFailures) {
        return { kind: 'give-up', fastFailures: this.fastFailures };
      }
    }
    const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * this.backoff.factor ** this.step);
    this.step += 1;
    return { kind: 'restart', delayMs: Math.round(delayMs) };
  }

  /** Forgets past failures (the service was started or restarted on request). */
  reset(): void {
    this.step = 0;
    this.fastFailures = 0;
  }
}

/** The backoff and give-up rule of one service: its `restart:` map over the supervisor's defaults. */
export function restartRules(
  config: { restart: RestartPolicy; restartTuning?: RestartTuning | null },
  defaults: { backoff: BackoffOptions; failure: FailureOptions },
): { backoff: BackoffOptions; failure: FailureOptions } {
  const tuning = config.restartTuning ?? null;
  const initialMs = tuning?.backoffMs ?? defaults.backoff.initialMs;
  const backoff = { ...defaults.backoff, initialMs, maxMs: tuning?.maxBackoffMs ?? Math.max(defaults.backoff.maxMs, initialMs) };
  // `always` without a limit never gives up: a dev database that crash-loops keeps being retried, at the capped backoff.
  const maxFastFailures =
    tuning?.maxRestarts != null ? tuning.maxRestarts + 1 : config.restart === 'always' ? Number.POSITIVE_INFINITY : defaults.failure.maxFastFailures;
  return { backoff, failure: { maxFastFailures, fastWindowMs: tuning?.resetAfterMs ?? defaults.failure.fastWindowMs } };
}
