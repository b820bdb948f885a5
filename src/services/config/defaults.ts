import type { ProbeTiming, RestartPolicy } from '../types.js';

/**
 * Valid service names, in tend.yaml and in a Procfile: foreman's `[A-Za-z0-9_-]`
 * plus `.` after the first character (so never `.` or `..`), at most 63
 * characters, so `services/<name>.log` is always a safe, short file name.
 */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,62}$/;

/** Why a service name was refused; completes `invalid service name "x"`. */
export const SERVICE_NAME_HINT = 'use at most 63 letters, digits, "_", "-" and "." (not first)';

/** Restart policy when the file names none. */
export const DEFAULT_RESTART: RestartPolicy = 'no';

/** Signal sent to stop a service when the file names none. */
export const DEFAULT_STOP_SIGNAL: NodeJS.Signals = 'SIGTERM';

/** Grace period between the stop signal and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** Probe timing when `ready` leaves it out. */
export const DEFAULT_PROBE_TIMING: Readonly<ProbeTiming> = {
  intervalMs: 1_000,
  timeoutMs: 2_000,
  retries: 30,
  initialDelayMs: 0,
};

/** Host a `tcp: PORT` probe connects to. */
export const DEFAULT_PROBE_HOST = '127.0.0.1';

/** Quiet time after the last file change before a watched service is restarted. */
export const DEFAULT_WATCH_DEBOUNCE_MS = 200;

/** Liveness probe timing when `live` leaves it out (retries do not apply: `failures` does). */
export const DEFAULT_LIVE_TIMING: Readonly<ProbeTiming> = { ...DEFAULT_PROBE_TIMING, intervalMs: 5_000, retries: 0 };

/** Live probe failures in a row that restart a service. */
export const DEFAULT_LIVE_FAILURES = 3;

/** Policy of a `restart:` map that names none. */
export const DEFAULT_RESTART_MAP_POLICY: RestartPolicy = 'on-failure';
