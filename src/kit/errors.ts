import { exitCodeFor } from './exit-codes.js';

/**
 * Named errors with a stable `code`. Callers branch on `code`, never on the
 * message; the CLI's one error boundary prints `message` and exits `exitCode`.
 */

/** Stable error codes of the kit and the tools built on it. */
export type ErrorCode =
  | 'ALREADY_RUNNING'
  | 'NOT_RUNNING'
  | 'START_FAILED'
  | 'START_TIMEOUT'
  | 'EXITED_BEFORE_READY'
  | 'STOP_TIMEOUT'
  | 'NOT_OUR_DAEMON'
  | 'STATE_UNREADABLE'
  | 'STATE_UNSAFE'
  | 'LOCK_FAILED'
  | 'LOCK_COMPROMISED'
  | 'UNREACHABLE'
  | 'REQUEST_FAILED'
  | 'BAD_INPUT'
  | 'CONFIG_INVALID'
  | 'SERVICE_UNKNOWN'
  | 'SERVICE_FAILED'
  | 'READY_TIMEOUT'
  | 'BAD_EVENT'
  | 'STALE'
  | 'NOT_ANSWERING'
  | 'STATE_UNKNOWN'
  | 'DAEMON_STOPPED'
  | (string & {});

/** Base of every error the kit throws on purpose. */
export class DaemonError extends Error {
  override readonly name: string = 'DaemonError';
  readonly code: ErrorCode;
  /** Exit code the CLI should use when this error reaches it. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options.exitCode ?? exitCodeFor(code);
  }
}

/** A wait ran past its deadline. */
export class TimeoutError extends DaemonError {
  override readonly name: string = 'TimeoutError';
}

/** Input (flags, files) that cannot be used; nothing was started. Exit 2 for BAD_INPUT (see exit-codes.ts). */
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
