/**
 * Readiness probes: http (GET, 2xx/3xx), tcp (connect), log (a line of the
 * service's output matches) and command (exits 0). One probe runs attempts
 * until one passes or `retries` further attempts have failed; each attempt
 * has its own timeout, and the whole probe stops when its signal aborts.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LogMatcher } from './log/log-matcher.js';
import { commandLine } from './process/command.js';
import type { ReadyProbe } from './types.js';
import { pollUntil } from '../kit/poll.js';
import { delay, withDeadline } from './wait.js';

/** How a probe ended, unless it was aborted (then it rejects). */
export type ProbeResult = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

/** What a probe needs from the service it checks. */
export interface ProbeContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The current run's output watcher; needed by log probes. */
  log?: LogMatcher;
  /** Aborted when the run ends or the service is stopped. */
  signal: AbortSignal;
  /** Told why each failed attempt failed (a `--wait` deadline quotes the last). */
  onAttemptFailed?: (failure: string) => void;
}

/** Runs `probe` until it passes or gives up; rejects with the signal's reason when aborted. */
export async function runProbe(probe: ReadyProbe, ctx: ProbeContext): Promise<ProbeResult> {
  await delay(probe.initialDelayMs, ctx.signal);
  let attempts = 0;
  let last = '';
  const outcome = await pollUntil(
    async (): Promise<ProbeResult | null> => {
      attempts += 1;
      const failure = await attemptOnce(probe, ctx);
      if (failure === null) return { ok: true, attempts };
      last = failure;
      ctx.onAttemptFailed?.(`${describeProbe(probe)}: ${failure}`);
      return attempts > probe.retries ? { ok: false, attempts, reason: `${describeProbe(probe)} failed ${attempts} times; last: ${failure}` } : null;
    },
    // `retries` ends it; the deadline is what those attempts can take at most.
    { timeoutMs: (probe.retries + 1) * (probe.timeoutMs + probe.intervalMs) + 1_000, intervalMs: probe.intervalMs, maxIntervalMs: probe.intervalMs, signal: ctx.signal },
  );
  if (outcome.kind === 'done') return outcome.value;
  if (outcome.kind === 'aborted') throw ctx.signal.reason;
  return { ok: false, attempts, reason: `${describeProbe(probe)} failed ${attempts} times; last: ${last}` };
}

/** A short human description of a probe, e.g. `tcp 127.0.0.1:5432`. */
export function describeProbe(probe: ReadyProbe): string {
  switch (probe.kind) {
    case 'http':
      return `http ${probe.url}`;
    case 'tcp':
      return `tcp ${probe.host}:${probe.port}`;
    case 'log':
      return `log /${probe.pattern}/`;
    case 'command':
      return `command ${typeof probe.command === 'string' ? probe.command : probe.command.join(' ')}`;
  }
}

/** One attempt of `probe`: null when it passed, else why not. Throws only when ctx.signal aborted. */
export async function attemptOnce(probe: ReadyProbe, ctx: ProbeContext): Promise<string | null> {
  const deadline = withDeadline(ctx.signal, probe.timeoutMs);
  try {
    const failure = await attemptKind(probe, ctx, deadline.signal);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (failure !== null && deadline.timedOut()) return `no answer within ${probe.timeoutMs} ms`;
    return failure;
  } finally {
    deadline.dispose();
  }
}

function attemptKind(probe: ReadyProbe, ctx: ProbeContext, signal: AbortSignal): Promise<string | null> {
  switch (probe.kind) {
    case 'http':
      return httpAttempt(probe.url, signal);
    case 'tcp':
      return tcpAttempt(probe.host, probe.port, signal);
    case 'log':
      return logAttempt(probe.pattern, ctx.log, signal);
    case 'command':
      return commandAttempt(probe.command, ctx, signal);
  }
}

function httpAttempt(url: string, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    let req: http.ClientRequest;
    try {
      // agent: false, so no keep-alive socket outlives the attempt.
      req = get(url, { agent: false, signal }, (res) => {
        const status = res.statusCode ?? 0;
        res.destroy();
        resolve(status >= 200 && status < 400 ? null : `HTTP ${status}`);
      });
    } catch (err) {
      resolve((err as Error).message);
      return;
    }
    req.on('error', (err) => resolve(err.message));
  });
}

function tcpAttempt(host: string, port: number, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (failure: string | null): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(failure);
    };
    const onAbort = (): void => finish('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(null));
    socket.once('error', (err) => finish(err.message));
  });
}

async function logAttempt(pattern: string, log: LogMatcher | undefined, signal: AbortSignal): Promise<string | null> {
  if (log === undefined) return 'no output to watch';
  await log.wait(signal);
  return log.matched ? null : `no output line matched /${pattern}/ yet`;
}

function commandAttempt(command: string | string[], ctx: ProbeContext, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const [file, args] = commandLine(command);
    // Own group, so a timeout kills the probe's children too.
    const child = spawn(file, args, { cwd: ctx.cwd, env: ctx.env, detached: true, stdio: 'ignore' });
    const onAbort = (): void => {
      // Safe by group while the leader is unreaped: its pid cannot be reused yet.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      resolve(`cannot run probe command: ${err.message}`);
    });
    child.once('exit', (code, sig) => {
      signal.removeEventListener('abort', onAbort);
      resolve(code === 0 ? null : sig !== null ? `probe command killed by ${sig}` : `probe command exited with code ${code}`);
    });
  });
}
