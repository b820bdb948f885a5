import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { parseReadyMessage, READY_FD, type ReadyMessage } from './ready-pipe.js';

/** How a spawned daemon's start ended, as seen by the parent. */
export type SpawnOutcome =
  | { kind: 'message'; message: ReadyMessage }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

/** What to spawn and how long to wait. */
export interface SpawnOptions {
  /** Arguments after the node executable (execArgv and the entry script included). */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** An fd open for appending: the daemon's stdout and stderr. */
  logFd: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A spawned daemon and the wait for its first word. */
export interface SpawnedDaemon {
  child: ChildProcess;
  pid: number;
  outcome: Promise<SpawnOutcome>;
  /** Resolves when the child has exited (its code, or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns the daemon in a new session (it outlives the terminal), stdin
 * ignored, output to the log, fd 3 as the ready pipe; then races the pipe's
 * message against the child's exit and the deadline, and says which won.
 */
export function spawnDetached(options: SpawnOptions): SpawnedDaemon {
  const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', options.logFd, options.logFd];
  stdio[READY_FD] = 'pipe';
  const child = spawn(process.execPath, options.args, {
    detached: true,
    stdio,
    env: options.env,
    cwd: options.cwd,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.once('error', () => {
    // Reported through `exited` / the pipe's EOF; a spawn error must not throw.
  });
  const pipe = child.stdio[READY_FD] as Readable | null;
  const outcome = raceReady(pipe, exited, options.timeoutMs, options.signal);
  // Neither end may keep the parent alive once the outcome is known: the
  // parent destroys its end and unrefs the child (which lives on alone).
  void outcome.finally(() => {
    pipe?.destroy();
    child.unref();
  });
  return { child, pid: child.pid ?? -1, outcome, exited };
}

async function raceReady(
  pipe: Readable | null,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SpawnOutcome> {
  const ac = new AbortController();
  try {
    const pipeEnd = readLine(pipe);
    const deadline = new Promise<SpawnOutcome>((resolve) => {
      const t = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
      ac.signal.addEventListener('abort', () => clearTimeout(t));
    });
    const aborted = new Promise<SpawnOutcome>((resolve) => {
      if (signal?.aborted) resolve({ kind: 'aborted' });
      signal?.addEventListener('abort', () => resolve({ kind: 'aborted' }), { signal: ac.signal });
    });
    // Decide from the pipe's end first: 'exit' can fire while the pipe still
    // holds the message. EOF without a message means the child died early;
    // then its exit status says how.
    const fromPipe = pipeEnd.then(async (line): Promise<SpawnOutcome> => {
      const message = line === null ? null : parseReadyMessage(line);
      if (message) return { kind: 'message', message };
      const { code, signal: sig } = await exited;
      return { kind: 'exited', code, signal: sig };
    });
    return await Promise.race([fromPipe, deadline, aborted]);
  } finally {
    ac.abort();
  }
}

function readLine(pipe: Readable | null): Promise<string | null> {
  if (!pipe) return Promise.resolve(null);
  return new Promise((resolve) => {
    let text = '';
    const done = (value: string | null) => {
      pipe.removeAllListeners('data');
      resolve(value);
    };
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl >= 0) done(text.slice(0, nl));
    });
    pipe.once('end', () => done(text.length ? text : null));
    pipe.once('close', () => done(text.length ? text : null));
    pipe.once('error', () => done(text.length ? text : null));
  });
}
