import type { ProbeTiming, RestartPolicy } from '../types.js';

/** Valid service names, in tend.yaml and in a Procfile. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why a service name was refused; completes `invalid service name "x"`. */
export const SERVICE_NAME_HINT = 'use letters, digits, "_", "." and "-", starting with a letter or digit';

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
