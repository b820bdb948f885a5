import { exitCodeFor } from './exit-codes.js';

/**
 * Named errors with a stable `code` from one closed list. Callers branch on
 * `code`, never on the message; a system error (errno) is kept as `cause`,
 * not promoted to a code. The CLI's one error boundary prints `message` and
 * exits with the code's exit code (exit-codes.ts, the one table).
 */

/** Every code an error of the kit or of a tool built on it may carry. */
export const ERROR_CODES = [
  'ALREADY_RUNNING',
  'NOT_RUNNING',
  'START_FAILED',
  'START_TIMEOUT',
  'EXITED_BEFORE_READY',
  'PORT_IN_USE',
  'PORTS_EXHAUSTED',
  'ADDRESS_UNAVAILABLE',
  'PERMISSION_DENIED',
  'DISK_FULL',
  'READ_ONLY',
  'STOP_TIMEOUT',
  'NOT_OUR_DAEMON',
  'STATE_UNREADABLE',
  'STATE_UNSAFE',
  'STATE_UNKNOWN',
  'LOCK_FAILED',
  'LOCK_COMPROMISED',
  'UNREACHABLE',
  'REQUEST_FAILED',
  'BAD_INPUT',
  'CONFIG_INVALID',
  'SERVICE_UNKNOWN',
  'SERVICE_FAILED',
  'READY_TIMEOUT',
  'BAD_EVENT',
  'SUPERVISOR_CLOSED',
  'STALE',
  'NOT_ANSWERING',
  'DAEMON_STOPPED',
  'UI_LOGIN_REFUSED',
  'INTERNAL',
] as const;

/** Stable error codes of the kit and the tools built on it. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `value` is one of ERROR_CODES (for codes read off the wire). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(value);
}

/** Base of every error the kit throws on purpose. */
export class DaemonError extends Error {
  override readonly name: string = 'DaemonError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** Exit code the CLI uses when this error reaches it (exit-codes.ts). */
  get exitCode(): number {
    return exitCodeFor(this.code);
  }

  /** The system error code (EADDRINUSE…) behind this error, if one is its cause. */
  get errno(): string | undefined {
    return errnoOf(this.cause);
  }
}

/** A wait ran past its deadline. */
export class TimeoutError extends DaemonError {
  override readonly name: string = 'TimeoutError';
}

/** Input (flags, files) that cannot be used; nothing was started. */
export class InputError extends DaemonError {
  override readonly name = 'InputError';
  constructor(message: string, options: { cause?: unknown; code?: ErrorCode } = {}) {
    super(options.code ?? 'BAD_INPUT', message, { cause: options.cause });
  }
}

/** True when `err` is a Node system error with the given errno code. */
export function isErrno(err: unknown, code: string): err is NodeJS.ErrnoException {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === code;
}

/** The errno code (`EADDRINUSE`…) of a system error, looking through DaemonError causes. */
export function errnoOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as Error).cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && !(e instanceof DaemonError)) return code;
  }
  return undefined;
}

/** System errors with a code of their own; any other errno keeps the caller's fallback. */
const ERRNO_CODES: Readonly<Record<string, ErrorCode>> = {
  EADDRINUSE: 'PORT_IN_USE',
  EADDRNOTAVAIL: 'ADDRESS_UNAVAILABLE',
  EACCES: 'PERMISSION_DENIED',
  EPERM: 'PERMISSION_DENIED',
  ENOSPC: 'DISK_FULL',
  EDQUOT: 'DISK_FULL',
  EROFS: 'READ_ONLY',
};

/** The closed code for an errno (`EADDRINUSE` → PORT_IN_USE), else `fallback`. */
export function codeForErrno(errno: string | undefined, fallback: ErrorCode): ErrorCode {
  return (errno !== undefined ? ERRNO_CODES[errno] : undefined) ?? fallback;
}

/** Any thrown value as a DaemonError: a DaemonError as is; anything else under its errno's code (or `fallback`), kept as `cause`. */
export function toDaemonError(err: unknown, fallback: ErrorCode): DaemonError {
  if (err instanceof DaemonError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DaemonError(codeForErrno(errnoOf(err), fallback), message, { cause: err });
}
