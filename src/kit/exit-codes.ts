/**
 * The exit codes of the CLI, in one place (the README's exit-code table).
 * Every outcome of a command has its own code, so a script can tell "you
 * typed it wrong" from "it failed" from "nothing is running".
 */
import type { ErrorCode } from './errors.js';

/** Exit codes by outcome. */
export const EXIT = {
  ok: 0,
  /** The command was understood but failed (the reason is printed). */
  failed: 1,
  /** Bad flags, arguments or `--dir`: nothing was done. */
  badInput: 2,
  /** No daemon is running (or only the stale state of a dead one). */
  notRunning: 3,
  /** Unknown: the daemon's process is alive but does not answer within the deadline, or its state is unreadable. */
  unknown: 4,
  /**
   * Bad input for `status`: LSB gives 2 a meaning there ("dead, lock file
   * exists"), so it takes EX_USAGE from sysexits.h instead.
   */
  statusBadInput: 64,
} as const;

// Codes whose exit code is not EXIT.failed.
const BY_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_INPUT: EXIT.badInput,
  NOT_RUNNING: EXIT.notRunning,
  STALE: EXIT.notRunning,
  NOT_ANSWERING: EXIT.unknown,
  STATE_UNKNOWN: EXIT.unknown,
};

/** The exit code of an error code, as the CLI's boundary uses it unless a command says otherwise. */
export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.failed;
}

/** Per-command exceptions to exitCodeFor (CommandSpec.exitCodes is merged over these). */
export const COMMAND_EXIT_CODES: Record<string, Partial<Record<ErrorCode, number>>> = {
  status: { BAD_INPUT: EXIT.statusBadInput },
};
