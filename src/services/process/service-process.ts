/**
 * One process of a service: spawned detached (its own session and process
 * group, so the whole tree can be signalled), stdin ignored, stdout/stderr
 * real pipes (output-pipes) read into the log as whole lines, recorded in services.json until its
 * group is empty. A string command runs under `/bin/sh -c`; an array is exec'd.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readProcStat } from '../../kit/process/process-info.js';
import type { LogWriter } from '../log/log-writer.js';
import { LogMatcher } from '../log/log-matcher.js';
import type { ServiceRegistry } from '../registry.js';
import type { ServiceConfig } from '../types.js';
import { commandLine, directoryProblem, spawnFailure } from './command.js';
import type { FifoMaker } from './fifo-maker.js';
import { closeWriteEnd, discardPipes, openOutputPipes, type OutputPipes } from './output-pipes.js';
import { groupMembers, killQuiet, terminateGroup } from './process-group.js';
import type { ProcessTable } from './process-table.js';
import { RunOutput, type OutputListener } from './run-output.js';

export type { OutputListener } from './run-output.js';

/** What a process needs around it. */
export interface ProcessDeps {
  env: NodeJS.ProcessEnv;
  registry: ServiceRegistry;
  writer: LogWriter;
  clock: () => number;
  /** The /proc scans shared by every process of the supervisor. */
  table: ProcessTable;
  /** Where its output pipes' FIFOs come from. */
  fifos: FifoMaker;
  /** Each whole output line, and each run's start and end marker (foreground echo). */
  output?: OutputListener;
}

/** How long after the leader's exit its pipes may take to deliver the last lines before the end marker is written anyway. */
const EXIT_MARKER_WAIT_MS = 1_000;

/** A spawned process, or why there is none. */
export type SpawnOutcome = { ok: true; process: ServiceProcess } | { ok: false; reason: string };

/** Called with the leader's exit. */
export type ExitListener = (p: ServiceProcess, code: number | null, signal: NodeJS.Signals | null) => void;

/** One running (or ended) process of a service and its group. */
export class ServiceProcess {
  readonly pid: number;
  readonly startedAtMs: number;
  /** Which run of the service this is (numbered in its log, across daemon restarts). */
  readonly run: number;
  /** Aborted when the process ends or is being stopped: cancels its probe. */
  readonly controller = new AbortController();
  /** Watches output for a `log` readiness probe. */
  readonly matcher: LogMatcher | undefined;
  /** Watches output for a `log` liveness probe (reset after each passing attempt). */
  readonly liveMatcher: LogMatcher | undefined;
  /** Set once a stop was asked for: its exit is then no failure. */
  stopping = false;
  /** performance.now() just before the spawn: /proc scans older than this cannot speak for its group. */
  readonly since: number;
  private readonly out: RunOutput;

  private constructor(
    private readonly child: ChildProcess & { pid: number },
    private readonly config: ServiceConfig,
    private readonly deps: ProcessDeps,
    since: number,
  ) {
    this.since = since;
    this.pid = child.pid;
    this.startedAtMs = deps.clock();
    this.run = deps.writer.nextRun();
    this.matcher = config.ready?.kind === 'log' ? new LogMatcher(config.ready.pattern) : undefined;
    this.liveMatcher = config.live?.kind === 'log' ? new LogMatcher(config.live.pattern) : undefined;
    this.out = new RunOutput(deps.writer, this.run, { output: deps.output, ready: this.matcher, live: this.liveMatcher });
  }

  /**
   * Spawns `config`'s command once its output pipes are made (off the event
   * loop, see fifo-maker). Null when `signal` aborted meanwhile: then nothing
   * was spawned. `onExit` gets the leader's exit.
   */
  static async spawn(config: ServiceConfig, deps: ProcessDeps, onExit: ExitListener, signal: AbortSignal): Promise<SpawnOutcome | null> {
    // Checked first because spawn blames the command ("spawn /bin/sh ENOENT") for a missing cwd.
    const cwdProblem = directoryProblem(config.cwd);
    if (cwdProblem !== null) return { ok: false, reason: cwdProblem };
    // Real pipes where FIFOs can be made (see output-pipes), else Node's socketpairs.
    const pipes = await openOutputPipes(path.dirname(deps.writer.file), deps.fifos);
    if (signal.aborted) {
      if (pipes) discardPipes(pipes);
      return null;
    }
    const outcome = ServiceProcess.spawnNow(config, deps, pipes, onExit);
    // A missing command is reported asynchronously, with neither pid nor 'exit'.
    return outcome instanceof Promise ? { ok: false, reason: await outcome } : outcome;
  }

  private static spawnNow(config: ServiceConfig, deps: ProcessDeps, pipes: OutputPipes | null, onExit: ExitListener): SpawnOutcome | Promise<string> {
    const [file, args] = commandLine(config.command);
    const since = performance.now();
    let child: ChildProcess;
    try {
      const stdio: StdioOptions = pipes ? ['ignore', pipes.stdout.writeFd, pipes.stderr.writeFd] : ['ignore', 'pipe', 'pipe'];
      child = spawn(file, args, { cwd: config.cwd, env: { ...deps.env, ...config.env }, detached: true, stdio });
    } catch (err) {
      if (pipes) discardPipes(pipes);
      return { ok: false, reason: spawnFailure(config.command, err) };
    }
    if (pipes) for (const pipe of [pipes.stdout, pipes.stderr]) closeWriteEnd(pipe);
    if (child.pid === undefined) {
      if (pipes) for (const pipe of [pipes.stdout, pipes.stderr]) pipe.reader.destroy();
      return new Promise((resolve) => child.once('error', (err) => resolve(spawnFailure(config.command, err))));
    }
    const p = new ServiceProcess(child as ChildProcess & { pid: number }, config, deps, since);
    const stat = readProcStat(p.pid); // still there: the child is not reaped before 'exit'
    deps.registry.add({ name: config.name, pid: p.pid, pgid: p.pid, startTime: stat !== null && stat !== 'no-proc' ? stat.startTime : '0' });
    child.on('error', () => {}); // later errors (a failed kill) change nothing
    p.out.markStart(p.pid);
    const onBlock = p.out.lineListener();
    const streams = [pipes?.stdout.reader ?? child.stdout!, pipes?.stderr.reader ?? child.stderr!];
    deps.writer.attach(streams[0]!, 'stdout', onBlock, p.run);
    deps.writer.attach(streams[1]!, 'stderr', onBlock, p.run);
    // The end marker follows the run's last lines: once both pipes are
    // drained (after the writer's own 'close' handlers), unless a stray
    // process holds them open.
    const drained = Promise.all(streams.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))));
    child.once('exit', (code, signal) => {
      p.controller.abort();
      const timer = setTimeout(() => p.out.markExit(code, signal), EXIT_MARKER_WAIT_MS);
      timer.unref();
      void drained.then(() => {
        clearTimeout(timer);
        p.out.markExit(code, signal);
      });
      onExit(p, code, signal);
    });
    return { ok: true, process: p };
  }

  /** True once the leader has exited (and been reaped). */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Sends `signal` to the whole group; false when the leader is gone (its pid may be reused). */
  signalGroup(signal: NodeJS.Signals): boolean {
    if (this.exited) return false;
    // dash runs `sh -c "cmd"` as a child instead of exec'ing it, and dies of
    // SIGHUP/SIGUSR1 without passing them on: signal what it runs, not the shell.
    if (typeof this.config.command === 'string' && isShell(this.pid)) {
      const members = groupMembers(this.pid).filter((m) => m.pid !== this.pid && m.state !== 'Z');
      return members.filter((m) => killQuiet(m.pid, signal)).length > 0;
    }
    return killQuiet(-this.pid, signal);
  }

  /** Stop signal to the group, SIGKILL after the stop timeout; resolves when the group is empty ('stuck': it never was). */
  async terminate(): Promise<'exited' | 'killed' | 'stuck'> {
    this.stopping = true;
    this.controller.abort();
    const how = await terminateGroup(this.pid, { ...this.group(), signal: this.config.stopSignal, timeoutMs: this.config.stopTimeoutMs, leaderGone: () => this.exited });
    if (how !== 'stuck') this.deps.registry.remove(this.pid);
    return how;
  }

  // Children an exited leader left behind (`cmd &`) would keep its ports and
  // double up on the next run: the group goes with its leader.
  /** Empties the group of a leader that exited on its own. */
  async reapLeftovers(): Promise<void> {
    const empty = this.deps.table.isEmpty(this.pid, this.since);
    const how = empty ? 'exited' : await terminateGroup(this.pid, { ...this.group(), signal: this.config.stopSignal, timeoutMs: this.config.stopTimeoutMs, leaderGone: () => true });
    // A group that outlived SIGKILL stays recorded, for a later reap.
    if (how !== 'stuck') this.deps.registry.remove(this.pid);
  }

  private group() {
    return { table: this.deps.table, since: this.since };
  }
}

/** "exited with code 127 (command not found)" / "killed by SIGTERM": see exit-description.ts. */
export { describeExit } from '../exit-description.js';

// True while `pid` is still the /bin/sh tend started (it has not exec'd the command).
function isShell(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`) === realpathSync('/bin/sh');
  } catch {
    return false;
  }
}
