/**
 * One service's lifecycle: spawn, readiness probe, exit and restart policy,
 * stop. The supervisor decides when a service may start (dependencies); the
 * runner decides how, and reports every change through `emit`.
 */
import type { ChildProcess } from 'node:child_process';
import { readProcStat } from '../kit/process-info.js';
import { RestartTracker, type BackoffOptions, type FailureOptions } from './backoff.js';
import { splitLines } from './line-splitter.js';
import type { BlockListener, LogWriter, OutputStream } from './log-writer.js';
import { groupAlive, terminateGroup } from './process-group.js';
import { LogMatcher, runProbe, type ProbeResult } from './probes.js';
import type { ServiceRegistry } from './registry.js';
import { describeExit, spawnFailure, spawnService } from './service-process.js';
import type { ReadyProbe, ServiceConfig, ServiceEvent, ServiceInfo, ServiceState } from './types.js';
import { delay } from './wait.js';

/** What a runner gets from its supervisor. */
export interface RunnerContext {
  env: NodeJS.ProcessEnv;
  backoff: BackoffOptions;
  failure: FailureOptions;
  clock: () => number;
  registry: ServiceRegistry;
  log: (line: string) => void;
  output?: (service: string, stream: OutputStream, line: string) => void;
  emit: (runner: ServiceRunner, kind: ServiceEvent['kind'], message: string | null) => void;
}

interface Run {
  child: ChildProcess;
  pid: number;
  startedAtMs: number;
  /** Aborted when the run ends or is being stopped: cancels its probe. */
  controller: AbortController;
  matcher: LogMatcher | undefined;
  stopping: boolean;
}

/** States in which the service is on its way up or up. */
const ACTIVE: ReadonlySet<ServiceState> = new Set(['pending', 'starting', 'running', 'backoff']);

/** Drives one service. */
export class ServiceRunner {
  state: ServiceState = 'stopped';
  reason: string | null = 'not started';
  ready = false;
  restarts = 0;
  exitCode: number | null = null;
  exitSignal: string | null = null;
  /** The readiness probe gave up on the current run. */
  probeGaveUp = false;
  /** A process was spawned since the service was last requested. */
  spawned = false;
  /** The supervisor wants it up; false once a stop was asked for. */
  wanted = false;
  private startedAt: number | null = null;
  private run: Run | null = null;
  private leftovers: Promise<void> = Promise.resolve();
  private restartTimer: AbortController | null = null;
  private stopping: Promise<void> | null = null;
  private readonly tracker: RestartTracker;

  constructor(
    public config: ServiceConfig,
    readonly writer: LogWriter,
    private readonly ctx: RunnerContext,
  ) {
    this.tracker = new RestartTracker(ctx.backoff, ctx.failure);
  }

  /** The view `ps` and the API report. */
  info(): ServiceInfo {
    return {
      name: this.config.name,
      state: this.state,
      pid: this.run?.pid ?? null,
      restarts: this.restarts,
      ready: this.ready,
      exitCode: this.exitCode,
      exitSignal: this.exitSignal,
      startedAt: this.startedAt === null ? null : new Date(this.startedAt).toISOString(),
      logFile: this.writer.file,
      reason: this.reason,
    };
  }

  /** Marks the service wanted: it waits in `pending` until launch(). */
  request(): void {
    this.wanted = true;
    if (ACTIVE.has(this.state)) return;
    this.tracker.reset();
    this.spawned = false;
    this.setState('pending', 'waiting to start');
  }

  /** Says why a pending service waits; reported only when it changes. */
  wait(reason: string): void {
    if (this.state === 'pending' && reason !== this.reason) this.setState('pending', reason);
  }

  /** Spawns a pending, wanted service (its dependencies are met). */
  launch(): void {
    if (this.state === 'pending' && this.wanted) this.spawnRun();
  }

  /** Counts a restart asked for by the user. */
  countRestart(): void {
    if (!this.spawned) return;
    this.restarts += 1;
    this.emit('restart', `restart #${this.restarts} (requested)`);
  }

  /** Stops the whole process group (stop signal, then SIGKILL after the timeout); state `stopped`. */
  stop(): Promise<void> {
    this.wanted = false;
    this.stopping ??= this.stopNow().finally(() => (this.stopping = null));
    return this.stopping;
  }

  /** Resolves once a stop in progress is over. */
  async settled(): Promise<void> {
    await this.stopping;
  }

  private async stopNow(): Promise<void> {
    this.restartTimer?.abort();
    this.restartTimer = null;
    const run = this.run;
    if (run !== null && !hasExited(run.child)) {
      run.stopping = true;
      run.controller.abort();
      const { stopSignal, stopTimeoutMs, name } = this.config;
      const how = await terminateGroup(run.pid, { signal: stopSignal, timeoutMs: stopTimeoutMs, leaderGone: () => hasExited(run.child) });
      if (how === 'killed') this.ctx.log(`[${name}] still running ${stopTimeoutMs} ms after ${stopSignal}: killed`);
      if (!groupAlive(run.pid)) this.ctx.registry.remove(run.pid);
    }
    await this.leftovers;
    if (this.wanted) return; // started again while stopping: the supervisor takes over
    this.run = null;
    this.ready = false;
    this.setState('stopped', null);
  }

  private spawnRun(): void {
    const { config, ctx } = this;
    this.exitCode = null;
    this.exitSignal = null;
    this.ready = false;
    this.probeGaveUp = false;
    const outcome = spawnService(config, ctx.env);
    if (!outcome.ok) return this.spawnFailed(outcome.reason);
    const { child } = outcome;
    if (child.pid === undefined) {
      // A missing command is reported asynchronously, with neither pid nor 'exit'.
      child.once('error', (err) => {
        if (this.run === null && this.state === 'starting' && this.wanted) this.spawnFailed(spawnFailure(config.command, err));
      });
      this.run = null;
      this.setState('starting', null);
      return;
    }
    child.on('error', (err) => ctx.log(`[${config.name}] ${err.message}`)); // later errors (a failed kill) are not fatal
    const pid = child.pid;
    const stat = readProcStat(pid); // still readable: the child is not reaped before 'exit'
    ctx.registry.add({ name: config.name, pid, pgid: pid, startTime: stat !== null && stat !== 'no-proc' ? stat.startTime : '0' });
    const matcher = config.ready?.kind === 'log' ? new LogMatcher(config.ready.pattern) : undefined;
    const run: Run = { child, pid, startedAtMs: ctx.clock(), controller: new AbortController(), matcher, stopping: false };
    this.run = run;
    this.spawned = true;
    this.startedAt = run.startedAtMs;
    child.once('exit', (code, signal) => this.onExit(run, code, signal));
    const onBlock = this.lineListener(matcher);
    this.writer.attach(child.stdout!, 'stdout', onBlock);
    this.writer.attach(child.stderr!, 'stderr', onBlock);
    ctx.log(`[${config.name}] started, pid ${pid}`);
    if (config.ready === null) {
      this.ready = true;
      this.setState('running', null);
      this.emit('ready', 'started (no readiness probe)');
    } else {
      this.setState('starting', null);
      void this.probe(run, config.ready);
    }
  }

  private spawnFailed(reason: string): void {
    this.run = null;
    this.ready = false;
    this.ctx.log(`[${this.config.name}] ${reason}`);
    this.setState('failed', reason);
  }

  private async probe(run: Run, probe: ReadyProbe): Promise<void> {
    let result: ProbeResult;
    try {
      result = await runProbe(probe, { cwd: this.config.cwd, env: { ...this.ctx.env, ...this.config.env }, log: run.matcher, signal: run.controller.signal });
    } catch {
      return; // aborted: the run ended or is being stopped
    }
    if (this.run !== run || run.controller.signal.aborted) return;
    if (result.ok) {
      this.ready = true;
      this.setState('running', null);
      this.emit('ready', `ready after ${result.attempts} probe attempt(s)`);
    } else {
      // The process is kept (it may be slow, not broken) but reported not ready.
      this.probeGaveUp = true;
      this.ctx.log(`[${this.config.name}] not ready: ${result.reason}`);
      this.setState('running', result.reason);
      this.emit('probe-failed', result.reason);
    }
  }

  private onExit(run: Run, code: number | null, signal: NodeJS.Signals | null): void {
    run.controller.abort();
    this.exitCode = code;
    this.exitSignal = signal;
    this.ready = false;
    if (run.stopping) return; // stop() owns the rest
    this.run = null;
    this.leftovers = this.reapLeftovers(run);
    const { name, restart } = this.config;
    const description = describeExit(code, signal);
    this.ctx.log(`[${name}] ${description}`);
    const failedRun = code !== 0;
    if (!this.wanted || !(restart === 'always' || (restart === 'on-failure' && failedRun))) {
      this.setState('exited', failedRun ? description : null);
    } else {
      const decision = this.tracker.next(this.ctx.clock() - run.startedAtMs);
      if (decision.kind === 'give-up') {
        const window = this.ctx.failure.fastWindowMs;
        this.setState('failed', `${description}; gave up after ${decision.fastFailures} runs in a row shorter than ${window} ms`);
      } else {
        this.setState('backoff', `${description}; restarting in ${decision.delayMs} ms`);
        this.scheduleRestart(decision.delayMs);
      }
    }
    this.emit('exit', description);
  }

  // Children an exited leader left behind (`cmd &`) would keep its ports and
  // double up on the next run: the group goes with its leader.
  private async reapLeftovers(run: Run): Promise<void> {
    if (groupAlive(run.pid)) {
      await terminateGroup(run.pid, { signal: this.config.stopSignal, timeoutMs: this.config.stopTimeoutMs, leaderGone: () => true });
    }
    if (!groupAlive(run.pid)) this.ctx.registry.remove(run.pid);
  }

  private scheduleRestart(delayMs: number): void {
    const timer = new AbortController();
    this.restartTimer = timer;
    Promise.all([delay(delayMs, timer.signal), this.leftovers]).then(
      () => {
        if (this.restartTimer !== timer || !this.wanted) return;
        this.restartTimer = null;
        this.restarts += 1;
        this.emit('restart', `restart #${this.restarts}`);
        this.spawnRun();
      },
      () => {}, // cancelled by stop()
    );
  }

  private lineListener(matcher: LogMatcher | undefined): BlockListener | undefined {
    const output = this.ctx.output;
    if (output === undefined && matcher === undefined) return undefined;
    const name = this.config.name;
    return (stream, block) => {
      if (output === undefined && matcher?.matched) return; // nobody needs the lines any more
      for (const line of splitLines(block)) {
        matcher?.line(line);
        try {
          output?.(name, stream, line);
        } catch {
          // A failing echo must not stop the log.
        }
      }
    };
  }

  private setState(state: ServiceState, reason: string | null): void {
    this.state = state;
    this.reason = reason;
    this.emit('state', reason);
  }

  private emit(kind: ServiceEvent['kind'], message: string | null): void {
    this.ctx.emit(this, kind, message);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
