/**
 * `waitReady`: re-judges the services on every event until all are ready (or
 * completed), one is never going to be, or the caller's signal aborts.
 */
import { DaemonError, TimeoutError } from '../kit/errors.js';
import { readiness } from './conditions.js';
import type { ServiceRunner } from './service-runner.js';
import type { ServiceEvent } from './types.js';

/** A service did not come up: it failed, exited, or its readiness probe gave up. */
export class ServiceFailedError extends DaemonError {
  override readonly name = 'ServiceFailedError';

  constructor(
    readonly service: string,
    /** The service's last exit code (not the CLI's exit code). */
    readonly lastExitCode: number | null,
    readonly logTail: string[],
    message: string,
  ) {
    super('SERVICE_FAILED', message);
  }
}

/** The deadline passed with a service still on its way up (named, with its state and last probe error). */
export class ServiceNotReadyError extends TimeoutError {
  override readonly name: string = 'ServiceNotReadyError';

  constructor(
    readonly service: string,
    readonly logTail: string[],
    message: string,
  ) {
    super('READY_TIMEOUT', message);
  }
}

/** Lines of log quoted in a ServiceFailedError. */
export const FAILURE_TAIL_LINES = 20;

/** What waitForReady reads from the supervisor. */
export interface ReadyWatch {
  /** Services to wait for, dependencies first (so the root cause is named first). */
  order: string[];
  lookup: (name: string) => ServiceRunner | undefined;
  onEvent: (listener: (event: ServiceEvent) => void) => () => void;
  /** The error for a service that vanished (removed by a reload). */
  unknown: (name: string) => Error;
  signal?: AbortSignal;
}

/** Resolves when every service in `order` is ready or completed; rejects with the first failure. */
export function waitForReady(watch: ReadyWatch): Promise<void> {
  const { signal } = watch;
  return new Promise((resolve, reject) => {
    let done = false;
    let off = (): void => {};
    const finish = (outcome: Promise<unknown> | null): void => {
      if (done) return;
      done = true;
      off();
      signal?.removeEventListener('abort', onAbort);
      if (outcome === null) resolve();
      else outcome.then(reject, reject);
    };
    // A deadline (a TimeoutError reason) is reported as the service it caught waiting.
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      finish(reason instanceof TimeoutError ? notReadyError(watch, reason) : Promise.resolve(reason));
    };
    const check = (): void => {
      let waiting = false;
      for (const name of watch.order) {
        const runner = watch.lookup(name);
        if (runner === undefined) return finish(Promise.resolve(watch.unknown(name)));
        const verdict = readiness(runner, watch.lookup);
        if (verdict.kind === 'failed') return finish(failureError(watch.lookup(verdict.service), verdict.service, verdict.reason, verdict.statesExit));
        if (verdict.kind === 'waiting') waiting = true;
      }
      if (!waiting) finish(null);
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    off = watch.onEvent(() => {
      if (!done) check();
    });
    check();
  });
}

/** Builds the error for a service that will not be ready, quoting its exit code (unless `reason` states it) and log tail. */
export async function failureError(runner: ServiceRunner | undefined, service: string, reason: string, statesExit = false): Promise<ServiceFailedError> {
  if (runner === undefined) return new ServiceFailedError(service, null, [], `service ${service}: ${reason}`);
  // An exited process's last lines may still be in its pipes.
  await (runner.info().pid === null ? runner.writer.settle(500) : runner.writer.flush());
  const tail = runner.writer.tail(FAILURE_TAIL_LINES);
  const lastExit = runner.exitCode !== null && !statesExit ? ` (last exit code ${runner.exitCode})` : '';
  const lines = [`service ${service}: ${reason}${lastExit}`];
  if (tail.length > 0) lines.push(`last lines of ${runner.writer.file}:`, ...tail.map((line) => `  ${line}`));
  return new ServiceFailedError(service, runner.exitCode, tail, lines.join('\n'));
}

/** Builds the error for a deadline: the first service (dependencies first) not up yet, its state and last probe error. */
export async function notReadyError(watch: ReadyWatch, deadline: TimeoutError): Promise<Error> {
  const name = watch.order.find((n) => {
    const runner = watch.lookup(n);
    return runner !== undefined && readiness(runner, watch.lookup).kind !== 'ok';
  });
  const runner = name === undefined ? undefined : watch.lookup(name);
  if (name === undefined || runner === undefined) return deadline;
  const facts = [`state ${runner.state}${runner.reason ? ` (${runner.reason})` : ''}`];
  if (runner.probeError !== null) facts.push(`last probe error: ${runner.probeError}`);
  await runner.writer.flush();
  const tail = runner.writer.tail(FAILURE_TAIL_LINES);
  const lines = [`service ${name} ${deadline.message}: ${facts.join('; ')}`];
  if (tail.length > 0) lines.push(`last lines of ${runner.writer.file}:`, ...tail.map((line) => `  ${line}`));
  return new ServiceNotReadyError(name, tail, lines.join('\n'));
}
