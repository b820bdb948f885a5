/**
 * One service's lifecycle across its processes: launch, readiness, exit and
 * the restart policy, stop. The supervisor decides when a service may start
 * (dependencies); the runner decides how, and reports each change via `emit`.
 * It is the service's state machine, kept whole on purpose (so over ~200
 * lines): every transition of `state` is here, and each depends on the same
 * few facts (the current process, wanted, a stop in progress), which split
 * files would have to share. What is not a transition lives beside it: the
 * probes of one process (service-health.ts), the restart rules and timer
 * (restart-schedule.ts), file watching (watch/), the process (process/).
 */
import type { BackoffOptions, FailureOptions } from './backoff.js';
import type { LogWriter } from './log/log-writer.js';
import type { ServiceLineKind } from './log/log-format.js';
import type { ServiceRegistry } from './registry.js';
import type { FifoMaker } from './process/fifo-maker.js';
import type { ProcessTable } from './process/process-table.js';
import { describeExit, ServiceProcess, type SpawnOutcome } from './process/service-process.js';
import { RestartSchedule } from './restart-schedule.js';
import { probeReadiness, watchLive } from './service-health.js';
import type { ServiceConfig, ServiceEvent, ServiceInfo, ServiceState } from './types.js';
import { ServiceWatch } from './watch/service-watch.js';

/** What a runner gets from its supervisor. */
export interface RunnerContext {
  env: NodeJS.ProcessEnv;
  backoff: BackoffOptions;
  failure: FailureOptions;
  clock: () => number;
  registry: ServiceRegistry;
  /** Absolute dirs a `watch:` never looks into (tend's state). */
  watchIgnore: readonly string[];
  /** One /proc scan per poll for every group. */
  table: ProcessTable;
  /** The FIFOs of every process's output pipes, made in batches off the event loop. */
  fifos: FifoMaker;
  log: (line: string) => void;
  output?: ServiceOutput;
  emit: (runner: ServiceRunner, kind: ServiceEvent['kind'], message: string | null) => void;
  /** Who holds the service's port (`port 8080 is in use by …`), or null when it is free or it has none. */
  portInUse?: (config: ServiceConfig) => string | null;
}

/** Each line of each service's runs, as stored: output lines and run markers (foreground `tend run`). */
export type ServiceOutput = (service: string, kind: ServiceLineKind, text: string, at: { time: number; run: number }) => void;

/** States in which the service is on its way up, or up. */
const ACTIVE: ReadonlySet<ServiceState> = new Set(['pending', 'starting', 'running', 'backoff']);

/** Drives one service. */
export class ServiceRunner {
  state: ServiceState = 'stopped';
  reason: string | null = 'not started';
  ready = false;
  restarts = 0;
  exitCode: number | null = null;
  exitSignal: string | null = null;
  /** `reason` describes how the last process ended (so it need not be said again). */
  reasonFromExit = false;
  /** The readiness probe gave up on the current process. */
  probeGaveUp = false;
  /** Why the current process's last readiness attempt failed, if one did. */
  probeError: string | null = null;
  /** A process was spawned since the service was last requested. */
  spawned = false;
  /** The supervisor wants it up; false from the moment a stop is asked for. */
  wanted = false;
  private startedAt: number | null = null;
  private current: ServiceProcess | null = null;
  private leftovers: Promise<void> = Promise.resolve();
  /** A spawn waiting for its output pipes; aborted when the service is stopped or replaced meanwhile. */
  private launching: { controller: AbortController; done: Promise<void> } | null = null;
  private stopping: Promise<void> | null = null;
  private readonly restartSchedule: RestartSchedule;
  private readonly watch: ServiceWatch;
  /** Why the service was last restarted by the dev loop (a change, a failed live probe); shown while it runs. */
  private restartReason: string | null = null;

  constructor(
    public config: ServiceConfig,
    readonly writer: LogWriter,
    private readonly ctx: RunnerContext,
  ) {
    this.restartSchedule = new RestartSchedule(config, ctx);
    this.watch = new ServiceWatch({
      never: ctx.watchIgnore,
      log: ctx.log,
      clock: ctx.clock,
      watching: (message) => this.emit('watching', message),
      changed: (reason, lastAt) => this.onChanged(reason, lastAt),
    });
  }

  /** The view `ps` and the API report. */
  info(): ServiceInfo {
    const { name } = this.config;
    const startedAt = this.startedAt === null ? null : new Date(this.startedAt).toISOString();
    const { state, restarts, ready, exitCode, exitSignal, reason } = this;
    const droppedLines = this.writer.droppedLines;
    const port = this.config.port ?? null;
    return { name, state, pid: this.current?.pid ?? null, restarts, ready, exitCode, exitSignal, startedAt, logFile: this.writer.file, reason, droppedLines, port };
  }

  /** Marks the service wanted: it waits in `pending` until launch(). */
  request(): void {
    this.wanted = true;
    if (ACTIVE.has(this.state)) return;
    // The config may have changed (reload) since the last run: take its restart rules afresh.
    this.restartSchedule.renew(this.config);
    this.restartReason = null;
    this.spawned = false;
    this.setState('pending', 'waiting to start');
  }

  /** Says why a pending service waits; reported only when that changes. */
  wait(reason: string): void {
    if (this.state === 'pending' && reason !== this.reason) this.setState('pending', reason);
  }

  /** Spawns a pending, wanted service (its dependencies are met); resolves once it is spawned, or failed to. */
  launch(): Promise<void> {
    if (this.state !== 'pending' || !this.wanted) return Promise.resolve();
    // Still `pending` while its pipes are made: the same launch, not a second one.
    return this.launching?.done ?? this.spawnProcess();
  }

  /** Counts a restart the user asked for. */
  countRestart(): void {
    if (!this.spawned) return;
    this.restartReason = null;
    this.restarts += 1;
    this.emit('restart', `restart #${this.restarts} (requested)`);
  }

  /** Stops the whole process group (stop signal, SIGKILL after the timeout); ends `stopped`. */
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
    await this.watch.stop(); // first, so no change restarts what is being stopped
    this.cancelPending();
    const current = this.current;
    if (current !== null && !current.exited) {
      const { name, stopSignal, stopTimeoutMs } = this.config;
      const how = await current.terminate();
      if (how === 'killed') this.ctx.log(`[${name}] still running ${stopTimeoutMs} ms after ${stopSignal}: killed`);
      if (how === 'stuck') this.ctx.log(`[${name}] still running after SIGKILL (stuck in the kernel?); left in services.json`);
    }
    await this.leftovers;
    if (this.wanted) return; // requested again while stopping: the supervisor takes it from here
    this.current = null;
    this.ready = false;
    this.setState('stopped', null);
  }

  private spawnProcess(): Promise<void> {
    const { config, ctx } = this;
    // exitCode/exitSignal stay: `ps` shows the last exit of a restarted service.
    this.ready = false;
    this.probeGaveUp = false;
    this.probeError = null;
    // A taken port would only end in EADDRINUSE: say who holds it instead of spawning.
    const blocked = ctx.portInUse?.(config) ?? null;
    if (blocked !== null) return Promise.resolve(this.spawnFailed(`${blocked}; not started`));
    const output = ctx.output === undefined ? undefined : (kind: ServiceLineKind, text: string, at: { time: number; run: number }) => ctx.output?.(config.name, kind, text, at);
    const deps = { env: ctx.env, registry: ctx.registry, table: ctx.table, fifos: ctx.fifos, writer: this.writer, clock: ctx.clock, output };
    this.launching?.controller.abort();
    const controller = new AbortController();
    const done = ServiceProcess.spawn(config, deps, (p, code, signal) => this.onExit(p, code, signal), controller.signal).then((outcome) => {
      if (this.launching?.controller === controller) this.launching = null;
      this.launched(outcome, controller.signal);
    });
    this.launching = { controller, done };
    return done;
  }

  // The spawn of spawnProcess is done (the pipes took a turn of the event loop).
  private launched(outcome: SpawnOutcome | null, cancelled: AbortSignal): void {
    const { config } = this;
    if (outcome === null) return; // stopped or replaced before anything was spawned
    if (!outcome.ok) {
      if (!cancelled.aborted && this.wanted) this.spawnFailed(outcome.reason);
      return;
    }
    const p = outcome.process;
    // Stopped or replaced in the moment between the spawn and now: that process is not ours to keep.
    if (cancelled.aborted) return void p.terminate();
    this.current = p;
    this.spawned = true;
    this.startedAt = p.startedAtMs;
    this.ctx.log(`[${config.name}] started, pid ${p.pid}`);
    // Ready only once tend sees its files change too: `start --wait`, then an edit, always restarts it.
    const watching = this.watch.ensure(config);
    if (config.ready === null && config.watch == null) {
      this.becameReady(p, 'started (no readiness probe)');
      return;
    }
    this.setState('starting', null);
    const probe = config.ready;
    void watching.then(() => {
      if (this.current !== p || p.controller.signal.aborted) return;
      if (probe === null) return this.becameReady(p, 'started (no readiness probe)');
      void probeReadiness(p, probe, config, this.ctx.env, {
        attemptFailed: (failure) => void (this.current === p && (this.probeError = failure)),
        ready: (attempts) => void (this.current === p && this.becameReady(p, `ready after ${attempts} probe attempt(s)`)),
        gaveUp: (reason) => {
          if (this.current !== p) return;
          // The process is kept (it may be slow rather than broken) but reported not ready.
          this.probeGaveUp = true;
          this.ctx.log(`[${config.name}] not ready: ${reason}`);
          this.setState('running', reason);
          this.emit('probe-failed', reason);
        },
      });
    });
  }

  private spawnFailed(reason: string): void {
    this.ctx.log(`[${this.config.name}] ${reason}`);
    this.setState('failed', reason);
  }

  private onExit(p: ServiceProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (p.stopping && this.current !== p) return; // one spawned as it was cancelled (see launched)
    this.exitCode = code;
    this.exitSignal = signal;
    this.ready = false;
    if (p.stopping) return; // stop() reports the rest
    this.current = null;
    this.leftovers = p.reapLeftovers();
    const { name, restart } = this.config;
    const failedRun = code !== 0;
    const held = failedRun ? (this.ctx.portInUse?.(this.config) ?? null) : null;
    const description = held === null ? describeExit(code, signal) : `${describeExit(code, signal)} (${held})`;
    this.ctx.log(`[${name}] ${description}`);
    if (!this.wanted || !(restart === 'always' || (restart === 'on-failure' && failedRun))) {
      this.setState('exited', failedRun ? description : null, true);
    } else {
      this.restartReason = null;
      this.afterFailure(p, description, true);
    }
    this.emit('exit', description);
  }

  // A failed run that is due a restart: back off, or give up when it keeps failing.
  private afterFailure(p: ServiceProcess, description: string, fromExit = false): void {
    const decision = this.restartSchedule.next(this.ctx.clock() - p.startedAtMs);
    if (decision.kind === 'give-up') {
      const window = this.restartSchedule.fastWindowMs;
      this.ctx.log(`[${this.config.name}] keeps failing; giving up`);
      this.setState('failed', `${description}; gave up after ${decision.fastFailures} runs in a row shorter than ${window} ms`, fromExit);
    } else {
      this.setState('backoff', `${description}; restarting in ${decision.delayMs} ms`, fromExit);
      this.scheduleRestart(decision.delayMs);
    }
  }

  private becameReady(p: ServiceProcess, message: string): void {
    this.ready = true;
    this.setState('running', this.restartReason);
    this.emit('ready', message);
    const live = this.config.live;
    if (live == null) return;
    watchLive(p, live, this.config, this.ctx.env, {
      failing: (reason, count, failures) => void (this.current === p && this.setState('running', `unhealthy: ${reason} (${count} of ${failures} failures in a row)`)),
      recovered: () => void (this.current === p && this.setState('running', this.restartReason)),
      unhealthy: (reason) => void this.restartUnhealthy(p, `unhealthy: ${reason}`),
    });
  }

  // `failures` live probes failed in a row: stop it (stop_signal, then SIGKILL) and restart it as a failed run.
  private async restartUnhealthy(p: ServiceProcess, why: string): Promise<void> {
    if (this.current !== p || !this.wanted) return;
    this.ctx.log(`[${this.config.name}] ${why}; restarting`);
    this.restartReason = why;
    this.ready = false;
    this.emit('unhealthy', why);
    await p.terminate();
    if (this.current !== p || !this.wanted || this.stopping !== null) return;
    this.current = null;
    this.afterFailure(p, why);
  }

  // A burst of file changes (see watch/): send the watch signal, or restart now.
  private onChanged(reason: string, lastAt: number): void {
    if (!this.wanted || this.stopping !== null || this.state === 'pending') return;
    // Every change came before the current process started (say, while it was
    // being restarted for the first part of a long burst): it has them already.
    if (this.current !== null && lastAt < this.current.startedAtMs) return;
    const { name, watch } = this.config;
    const signal = watch?.signal ?? null;
    if (signal !== null) {
      const sent = this.current?.signalGroup(signal) ?? false;
      this.ctx.log(`[${name}] ${reason}: ${sent ? `sent ${signal}` : 'not running, nothing to signal'}`);
      if (sent) this.emit('signal', `${reason}; sent ${signal}`);
      return;
    }
    this.ctx.log(`[${name}] ${reason}: restarting`);
    void this.replace(reason);
  }

  // Restarts at once for `reason`, whatever the state (a crashed service comes back when its code is fixed).
  private async replace(reason: string): Promise<void> {
    this.cancelPending();
    this.restartReason = reason;
    const current = this.current;
    if (current !== null && !current.exited) await current.terminate();
    await this.leftovers;
    if (!this.wanted || this.stopping !== null || this.current !== current) return;
    this.restartReason = (await this.watch.settle()) ?? reason;
    // Stopped meanwhile, or another change got there first.
    if (!this.wanted || this.stopping !== null || this.current !== current) return;
    this.current = null;
    this.restartSchedule.reset();
    this.restarts += 1;
    this.emit('restart', `restart #${this.restarts}: ${this.restartReason}`);
    void this.spawnProcess();
  }

  private scheduleRestart(delayMs: number): void {
    this.restartSchedule.schedule(delayMs, this.leftovers, () => {
      if (!this.wanted) return;
      this.restarts += 1;
      this.emit('restart', this.restartReason === null ? `restart #${this.restarts}` : `restart #${this.restarts}: ${this.restartReason}`);
      void this.spawnProcess();
    });
  }

  // No restart is due, and a spawn still waiting for its pipes is called off.
  private cancelPending(): void {
    this.restartSchedule.cancel();
    this.launching?.controller.abort();
    this.launching = null;
  }

  private setState(state: ServiceState, reason: string | null, fromExit = false): void {
    this.state = state;
    this.reason = reason;
    this.reasonFromExit = fromExit;
    this.emit('state', reason);
  }

  private emit(kind: ServiceEvent['kind'], message: string | null): void {
    this.ctx.emit(this, kind, message);
  }
}
