import { closeSync, fstatSync } from 'node:fs';
import { ANSWER_TIMEOUT_MS } from '../client/deadline.js';
import { openLog } from '../log/daemon-log.js';
import { codeForErrno, DaemonError, isErrorCode, TimeoutError } from '../errors.js';
import { ensureInstanceDir } from '../state/instance-dir.js';
import { probeDaemon, runningState, statusQuery, type DaemonState, type StatusAnswer } from './liveness.js';
import { readTail } from '../log/read-tail.js';
import { readMetadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';
import type { ReadyMessage } from './ready-pipe.js';
import { saveCodeCache } from '../code-cache.js';
import { spawnDetached } from './spawn-daemon.js';
import { cleanState } from './stop-daemon.js';
import { waitForExit } from '../process/wait-exit.js';
import { pollUntil } from '../poll.js';
import type { ReapLoader } from './reap.js';

/** A daemon found running after `start`. */
export type RunningState = Extract<DaemonState, { state: 'running' }>;

/** What `start` did. */
export interface StartResult {
  alreadyRunning: boolean;
  daemon: RunningState;
}

/** Options of startDaemon. */
export interface StartOptions {
  /** The tool's name, for messages. */
  name: string;
  paths: InstancePaths;
  /** Node arguments that run the daemon mode of this same program. */
  daemonArgs: string[];
  /** Environment of the daemon, private marker included. */
  env: NodeJS.ProcessEnv;
  waitTimeoutMs: number;
  /** How long a daemon found running has to answer (default ANSWER_TIMEOUT_MS). */
  answerTimeoutMs?: number;
  /** Passed to probeDaemon, so the result carries the tool's own fields. */
  extraSelection?: string;
  /** The tool's reap hook: a start that fails stops what its daemon left running. */
  reap?: ReapLoader;
  signal?: AbortSignal;
}

const LOG_TAIL_LINES = 15;

/**
 * Starts the daemon detached and waits for its ready pipe. A live daemon is
 * reported as already running (same pid), also when another `start` won a
 * race. Every failure names its cause and leaves no process, metadata or lock.
 */
export async function startDaemon(options: StartOptions): Promise<StartResult> {
  const { paths } = options;
  const deadline = Date.now() + options.waitTimeoutMs;
  // Within the caller's deadline: a frozen daemon must not hold `start` past --wait-timeout.
  const before = await probeDaemon(paths, { extraSelection: options.extraSelection, timeoutMs: Math.min(options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS, options.waitTimeoutMs), signal: options.signal });
  if (before.state === 'running') return { alreadyRunning: true, daemon: before };
  // A live daemon that holds the lock but does not answer: a new one could not
  // take the lock, and waiting out the deadline would only say less.
  if (before.state === 'unknown' && before.notAnswering) {
    const pid = before.confirmedPid ?? before.metadata?.pid;
    // CONTRACT gives `start` only 0 and 1: a daemon that cannot be asked means it could not start.
    throw new DaemonError(
      'START_FAILED',
      `a daemon for this project (pid ${pid}) is running but not answering (${before.reason}); it may be stopped (SIGSTOP) or stuck: '${options.name} stop --force' ends it`,
    );
  }

  ensureInstanceDir(paths, options.name);
  let logFd: number;
  try {
    logFd = openLog(paths.logFile);
  } catch (err) {
    throw new DaemonError('STATE_UNSAFE', `opening the log ${paths.logFile}: ${(err as Error).message}`, { cause: err });
  }
  const logOffset = fstatSync(logFd).size;
  let spawned;
  try {
    spawned = spawnDetached({
      // The state root as resolved here: a relative <NAME>_STATE_DIR would
      // resolve elsewhere in the daemon, whose cwd is the project.
      // The daemon answers the status query on the ready pipe: no second round trip.
      args: [...options.daemonArgs, '--state-root', paths.stateRoot, '--ready-query', statusQuery(options.extraSelection)],
      env: options.env,
      cwd: paths.projectDir,
      logFd,
      timeoutMs: options.waitTimeoutMs,
      signal: options.signal,
    });
  } finally {
    // The child has its own copy; ours must not keep the file open.
    closeSync(logFd);
  }
  const outcome = await spawned.outcome;
  const tail = () => formatTail(readTail(paths.logFile, LOG_TAIL_LINES, logOffset));

  if (outcome.kind === 'message' && outcome.message.ok) {
    const daemon = fromReady(paths, outcome.message) ?? (await waitRunning(paths, deadline, options));
    // The daemon runs its own bundle: the commands' code caches (this
    // program's) are saved by the command that starts it, after it is up.
    setImmediate(saveCodeCache);
    return { alreadyRunning: false, daemon };
  }
  if (outcome.kind === 'message' && !outcome.message.ok && outcome.message.code === 'ALREADY_RUNNING') {
    // Another start won the race; report its daemon once it serves. Not
    // `await spawned.exited` alone: the child is unref'd by now and would let
    // this process end with the await unsettled (exit 13).
    await settle(spawned.pid, spawned.exited, options);
    return { alreadyRunning: true, daemon: await waitRunning(paths, deadline, options) };
  }
  if (outcome.kind === 'message' && !outcome.message.ok) {
    await settle(spawned.pid, spawned.exited, options);
    throw readyError(outcome.message);
  }
  if (outcome.kind === 'exited') {
    await cleanState(paths, { pid: spawned.pid, reap: options.reap });
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    throw new DaemonError('EXITED_BEFORE_READY', `the daemon ${how} before it was ready${tail()}`);
  }
  // Timed out or aborted: the child is ours to end.
  await terminate(spawned.pid, spawned.exited, options);
  if (outcome.kind === 'aborted') throw new DaemonError('START_FAILED', 'start was interrupted; the daemon was stopped');
  throw new TimeoutError(
    'START_TIMEOUT',
    `the daemon was not ready within ${options.waitTimeoutMs / 1000}s and was stopped${tail()}`,
  );
}

// The ready message's answer, checked against the metadata the daemon wrote
// as a probe would; null sends the caller to probing.
function fromReady(paths: InstancePaths, message: Extract<ReadyMessage, { ok: true }>): RunningState | null {
  if (!message.data) return null;
  const read = readMetadata(paths.metadataFile);
  if (read.kind !== 'ok' || read.metadata.instanceId !== message.instanceId) return null;
  return runningState(read.metadata, message.data as StatusAnswer);
}

async function waitRunning(paths: InstancePaths, deadline: number, options: StartOptions): Promise<RunningState> {
  let last: DaemonState = { state: 'stopped' };
  const probe = async () => {
    last = await probeDaemon(paths, { extraSelection: options.extraSelection, timeoutMs: Math.max(500, deadline - Date.now()), signal: options.signal });
    return last.state === 'running' ? last : null;
  };
  const outcome = await pollUntil(probe, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 10, backoff: 2, maxIntervalMs: 200, signal: options.signal });
  if (outcome.kind === 'done') return outcome.value;
  if (outcome.kind === 'aborted') throw new DaemonError('START_FAILED', 'start was interrupted');
  const why = 'reason' in last ? `: ${last.reason}` : '';
  throw new TimeoutError('START_TIMEOUT', `a daemon holds this project but did not answer in time${why}`);
}

// The child reported failure and is exiting on its own; make sure it is gone.
async function settle(pid: number, exited: Promise<unknown>, options: StartOptions): Promise<void> {
  const gone = await Promise.race([exited.then(() => true), waitForExit(pid, 5_000).then((r) => r === 'exited')]);
  if (!gone) await terminate(pid, exited, options);
}

// The daemon this start spawned: SIGTERM, SIGKILL after 3 s; then what it left
// running (its services, when it was killed) is stopped with its state.
async function terminate(pid: number, exited: Promise<unknown>, options: StartOptions): Promise<void> {
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  kill('SIGTERM');
  if ((await waitForExit(pid, 3_000)) !== 'exited') {
    kill('SIGKILL');
    await Promise.race([exited, waitForExit(pid, 5_000)]);
  }
  await cleanState(options.paths, { pid, reap: options.reap });
}

function formatTail(lines: string[]): string {
  return lines.length ? `\n--- last lines of the daemon log ---\n${lines.join('\n')}` : '';
}

/** The daemon's error as it came over the ready pipe, under a closed code; an errno it named (EADDRINUSE) is kept as `cause`. */
function readyError(message: { code: string; message: string }): DaemonError {
  if (isErrorCode(message.code)) return new DaemonError(message.code, message.message);
  const cause = Object.assign(new Error(message.message), { code: message.code });
  return new DaemonError(codeForErrno(message.code, 'START_FAILED'), message.message, { cause });
}
