import type { TestFaults } from './test-faults.js';

/** Signals that stop the daemon gracefully. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/** What the daemon does on each signal and process-level error. */
export interface SignalActions {
  /** Begins a graceful stop; the first call wins. */
  stop: (why: string, exitCode?: number) => void;
  /** SIGINT while already stopping (Ctrl-C twice in `run`): kill what still runs. */
  escalate: () => void;
  /** True once a stop was requested. */
  stopping: () => boolean;
  /** SIGHUP when detached: re-read the configuration. */
  reload: () => void;
  /** SIGHUP in the foreground: the terminal closed. */
  hangup: () => void;
  /** SIGUSR1: a status snapshot in the log. */
  snapshot: () => void;
  log: (line: string) => void;
  faults: TestFaults;
  /** `run`: SIGHUP means the terminal closed, and stops the daemon (as foreman and overmind do), via `hangup`. */
  foreground: boolean;
}

/** Uncaught errors logged in full; later ones are only counted, so a failing handler cannot flood the log. */
const LOGGED_UNCAUGHT = 10;

/**
 * Routes the process's signals and last-resort errors to the daemon's
 * actions; returns the function that removes every handler again.
 */
export function installSignals(actions: SignalActions): () => void {
  const { stop, log } = actions;
  let uncaught = 0;
  const handlers: [string, (...args: any[]) => void][] = [
    ...STOP_SIGNALS.map((sig): [string, () => void] => [
      sig,
      () => {
        if (sig === 'SIGTERM' && actions.faults.ignoreSigterm) return log('ignoring SIGTERM (test fault)');
        // Only SIGINT escalates (Ctrl-C twice): a second `stop` must not turn a graceful stop into a kill.
        if (sig === 'SIGINT' && actions.stopping()) return actions.escalate();
        stop(`received ${sig}`);
      },
    ]),
    ['SIGHUP', () => (actions.foreground ? actions.hangup() : actions.reload())],
    ['SIGUSR1', () => actions.snapshot()],
    [
      'uncaughtException',
      (err: Error) => {
        if (++uncaught <= LOGGED_UNCAUGHT) log(`uncaught exception: ${err?.stack ?? err?.message ?? String(err)}`);
        stop('uncaught exception', 1);
      },
    ],
    ['unhandledRejection', (err: unknown) => log(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`)],
  ];
  for (const [event, handler] of handlers) process.on(event, handler);
  return () => {
    for (const [event, handler] of handlers) process.off(event, handler);
    if (uncaught > LOGGED_UNCAUGHT) log(`${uncaught - LOGGED_UNCAUGHT} more uncaught exception(s) not logged`);
  };
}
