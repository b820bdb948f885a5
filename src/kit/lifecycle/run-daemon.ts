// Over ~200 lines on purpose: this is the order of the daemon's steps and the
// state they share (the run's ids, stop signal, teardown stack, app state).
// Each step's work is its own module (hold-lock, bind-endpoint, mount-app,
// daemon-metadata, state-watch, daemon-signals, ready-pipe); splitting the
// order itself would scatter one sequence across files.
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DaemonApp, DaemonContext, DaemonDefinition } from '../define.js';
import { DaemonError, errnoOf, toDaemonError } from '../errors.js';
import { createDaemonLog, type DaemonLog } from '../log/daemon-log.js';
import { guardTerminal, type Terminal } from '../log/terminal.js';
import { escalation } from './reap.js';
import type { Listening } from '../server/listen.js';
import { selfQuery } from '../server/self-query.js';
import type { LiveStatus } from '../server/status-shape.js';
import { ensureInstanceDir } from '../state/instance-dir.js';
import { AlreadyRunningError } from '../state/lock.js';
import type { Metadata } from '../state/metadata.js';
import { bindEndpoint } from './bind-endpoint.js';
import { MetadataPublisher } from './daemon-metadata.js';
import { saveCodeCache } from '../code-cache.js';
import { installSignals } from './daemon-signals.js';
import { holdLock } from './hold-lock.js';
import { liveStatus } from './live-status.js';
import { mountApp } from './mount-app.js';
import { sendStartFailure } from './ready-pipe.js';
import { DEFAULT_DRAIN_MS, type DaemonRunOptions } from './run-options.js';
import { stopWhenStateRemoved } from './state-watch.js';
import { TeardownStack } from './teardown.js';
import { reachStep, type FaultStep, type TestFaults } from './test-faults.js';

export type { DaemonRunOptions } from './run-options.js';

/**
 * The daemon's whole life: lock, bind, start the tool, write metadata, say
 * ready; then serve until SIGTERM/SIGINT/SIGQUIT and take it all down in
 * reverse. Returns the exit code; every failure before ready is reported on
 * the ready pipe and leaves nothing behind.
 */
export function runDaemon<S>(def: DaemonDefinition<S>, options: DaemonRunOptions): Promise<number> {
  return new DaemonRun(def, options).run();
}

/** One run of the daemon: each step of its life is a method, undone by the teardown stack. */
class DaemonRun<S> {
  private readonly instanceId = randomUUID();
  private readonly token = randomBytes(32).toString('base64url');
  private readonly startedAt = new Date();
  private readonly stopper = new AbortController();
  private readonly changes = new EventEmitter();
  private readonly subscriptions = new Set<() => void>();
  private readonly faults: TestFaults;
  private readonly log: DaemonLog;
  private readonly terminal: Terminal;
  private readonly teardown: TeardownStack;
  private readonly ctx: DaemonContext;
  private requestsServed = 0;
  private exitCode = 0;
  /** The foreground run's terminal hung up: the process ends by SIGHUP once clean. */
  private hungUp = false;
  /** Set once the tool's start() resolved: its state, for resolvers, reload and stop. */
  private started: { app: DaemonApp<S>; state: S } | undefined;
  private readonly status: () => LiveStatus;
  /** A second Ctrl-C while stopping: SIGKILL what still runs (then exit at once). */
  private readonly escalate: () => void;
  /** daemon.json, once published (rewritten when the stop budget changes). */
  private readonly metadata: MetadataPublisher;

  constructor(
    private readonly def: DaemonDefinition<S>,
    private readonly options: DaemonRunOptions,
  ) {
    const { paths, foreground } = options;
    this.faults = options.faults ?? {};
    ensureInstanceDir(paths, def.name);
    // Detached, stdout and stderr are the log file (set up by `start`): only
    // stray writes reach them, and a full disk must not make those fatal.
    this.terminal = guardTerminal((why) => foreground && this.requestStop(`the terminal is gone (${why})`));
    this.log = createDaemonLog({ logFile: paths.logFile, terminal: foreground ? this.terminal : undefined, json: options.json === true, name: def.name });
    this.teardown = new TeardownStack(this.log.line);
    this.metadata = new MetadataPublisher(paths.metadataFile, this.log.line);
    this.escalate = escalation(def.reap, paths, this.log.line);
    this.status = liveStatus({ def, paths, instanceId: this.instanceId, startedAt: this.startedAt, foreground, requestsServed: () => this.requestsServed,
      droppedLines: () => this.log.droppedLines() + (this.started ? (this.started.app.droppedLines?.(this.started.state) ?? 0) : 0),
    });
    this.ctx = {
      projectDir: paths.projectDir,
      paths,
      instanceId: this.instanceId,
      foreground,
      json: foreground && options.json === true,
      configFile: options.configFile ?? null,
      launch: options.launch,
      log: this.log.line,
      output: this.log.output,
      notifyChange: () => {
        this.changes.emit('change');
        // A change (a reload, by SIGHUP or the API) may change the stop budget.
        if (!this.stopper.signal.aborted) this.metadata.republishStopBudget(this.stopBudgetMs());
      },
      signal: this.stopper.signal,
    };
  }

  async run(): Promise<number> {
    let code: number;
    try {
      code = await this.live();
    } finally {
      this.log.close();
    }
    if (this.hungUp) {
      // Everything is stopped and cleaned: die of the hangup, as a shell
      // expects of a job whose terminal closed. Exiting normally would abort
      // instead: Node 20 asserts on restoring a terminal that is gone
      // (nodejs/node#51519). Every SIGHUP listener goes first, so the
      // default action runs: signal-exit's (proper-lockfile's) would swallow it.
      process.removeAllListeners('SIGHUP');
      process.kill(process.pid, 'SIGHUP');
    }
    return code;
  }

  private async live(): Promise<number> {
    // The terminal guard stays to the end: a late EIO with no listener would crash the exiting process.
    this.teardown.push('removing the signal handlers', this.installSignals());
    try {
      const metadata = await this.start();
      this.log.line(`ready: pid ${process.pid}, ${metadata.endpoint}, project ${this.options.paths.projectDir}`);
      // After ready, off the start's path: the code the commands will find compiled.
      setImmediate(saveCodeCache);
    } catch (err) {
      await this.reportStartFailure(err);
      if (err instanceof AlreadyRunningError && !this.options.foreground) return 0;
      throw toDaemonError(err, 'START_FAILED');
    }
    this.teardown.push('stopping the state watch', this.watchState());
    await new Promise((resolve) => this.stopper.signal.addEventListener('abort', resolve, { once: true }));
    await this.teardown.run();
    this.log.line(`stopped (exit ${this.exitCode})`);
    return this.exitCode;
  }

  /** Begins a graceful stop; the first reason wins. */
  private requestStop = (why: string, code = 0): void => {
    if (this.stopper.signal.aborted) return;
    this.exitCode = code;
    this.log.line(`stopping: ${why}`);
    this.stopper.abort();
  };

  /** Every step up to "ready", in order; each pushes its undo on the teardown stack. */
  private async start(): Promise<Metadata> {
    await this.step('before-lock');
    await this.takeLock();
    await this.step('after-lock');
    // yoga and graphql are compiled only by the daemon that won the lock (a
    // losing racer has exited by now), while the tool's code loads.
    const server$ = import('../server/yoga-app.js');
    server$.catch(() => {}); // awaited below; an early failure must not leave it unhandled
    const app = await this.def.load();
    // Pushed before the endpoint is bound, so it runs after the endpoint
    // closed: the app stops once nobody can ask it anything.
    this.teardown.push('stopping the app', () => this.started && app.stop(this.started.state, this.ctx));
    const bound = await this.bindEndpoint(app);
    await this.step('after-bind');
    // The app starts before the endpoint serves: its resolvers need its state,
    // and nobody can address the endpoint before metadata names its port.
    this.started = { app, state: await app.start(this.ctx) };
    this.throwIfStopping();
    // Only a `start` waiting on the pipe reads what settling shows.
    if (this.options.readyQuery && this.options.pipe.open) await app.settle?.(this.started.state, this.ctx);
    this.throwIfStopping();
    const yoga = await mountApp({
      name: this.def.name, bound, host: this.options.host, token: this.token, status: this.status, changes: this.changes, subscriptions: this.subscriptions,
      countRequest: () => void this.requestsServed++, app, resolvers: app.resolvers?.(this.started.state, this.ctx),
      introspection: this.options.introspection, uiCodeTtlMs: this.options.uiCodeTtlMs, server: server$,
    });
    const { paths, host, foreground } = this.options;
    const metadata = this.metadata.publish({ def: this.def, paths, instanceId: this.instanceId, token: this.token, startedAt: this.startedAt, host, port: bound.port, foreground, stopTimeoutMs: this.stopBudgetMs() });
    await this.step('after-metadata');
    await this.step('before-ready');
    this.throwIfStopping();
    const { readyQuery } = this.options;
    const data = readyQuery && this.options.pipe.open ? await selfQuery(yoga, metadata, readyQuery) : undefined;
    this.options.pipe.send({ ok: true, pid: process.pid, endpoint: metadata.endpoint, instanceId: this.instanceId, ...(data ? { data } : {}) });
    return metadata;
  }

  /** Step: signals and last-resort errors go to the daemon's actions. */
  private installSignals(): () => void {
    return installSignals({
      stop: this.requestStop,
      hangup: () => {
        this.hungUp = true;
        this.requestStop('received SIGHUP: the terminal hung up');
      },
      reload: () => void this.reload(),
      escalate: () => {
        this.exitCode = 130;
        this.escalate();
      },
      stopping: () => this.stopper.signal.aborted,
      snapshot: () => {
        const app = this.started ? this.started.app.snapshot?.(this.started.state) : null;
        this.log.line(`snapshot ${JSON.stringify({ status: this.status(), app: app ?? null })}`);
      },
      log: this.log.line,
      faults: this.faults,
      foreground: this.options.foreground,
    });
  }

  /** Step: the advisory lock, held for the daemon's whole life; what a killed daemon left is reaped. */
  private async takeLock(): Promise<void> {
    await holdLock({
      paths: this.options.paths, instanceId: this.instanceId, reap: this.def.reap, log: this.log.line, teardown: this.teardown,
      onCompromised: (err) => this.requestStop(`the lock was compromised (${err.message}); another daemon may own it`, 1),
    });
    this.throwIfStopping();
  }

  /** Step: bind the endpoint (requests get 503 until the app is mounted); closing it drains. */
  private async bindEndpoint(app: DaemonApp<S>): Promise<Listening> {
    const { host, port, paths } = this.options;
    const bound = await bindEndpoint(host, port, () => app.describePortInUse?.(port, paths));
    this.teardown.push('closing the endpoint', async () => {
      for (const stop of this.subscriptions) stop();
      const closing = bound.close(this.options.drainMs ?? DEFAULT_DRAIN_MS);
      await this.step('mid-drain');
      await closing;
    });
    return bound;
  }

  /** What `stop` should wait for: the endpoint's drain plus the tool's stop budget. */
  private stopBudgetMs(): number {
    const budget = this.started ? (this.started.app.stopBudgetMs?.(this.started.state) ?? 0) : 0;
    return (this.options.drainMs ?? DEFAULT_DRAIN_MS) + budget;
  }

  /** Step: stop when the state dir disappears under the running daemon. */
  private watchState(): () => void {
    return stopWhenStateRemoved(this.options.paths, this.def.name, (why) => this.requestStop(why, 1));
  }

  /** SIGHUP: the tool re-reads its configuration; a failure keeps the running one. */
  private async reload(): Promise<void> {
    const { started } = this;
    if (!started?.app.reload) return this.log.line('SIGHUP: nothing to reload');
    try {
      this.log.line(`reloaded: ${await started.app.reload(started.state, this.ctx)}`);
    } catch (err) {
      this.log.line(`reload failed, keeping the running configuration: ${(err as Error).message}`);
    }
  }

  /** Says why the start failed on the ready pipe (and the log), and undoes what was set up. */
  private async reportStartFailure(err: unknown): Promise<void> {
    const e = err instanceof AlreadyRunningError ? err : toDaemonError(err, 'START_FAILED');
    if (!(e instanceof AlreadyRunningError)) this.log.line(`start failed: ${e.message}`);
    sendStartFailure(this.options.pipe, { code: e.code, message: e.message, pid: e instanceof AlreadyRunningError ? e.pid : undefined, errno: e instanceof AlreadyRunningError ? undefined : errnoOf(e) });
    await this.teardown.run();
  }

  private step(step: FaultStep): Promise<void> {
    return reachStep(this.faults, step, this.stopper.signal);
  }

  private throwIfStopping(): void {
    if (this.stopper.signal.aborted) throw new DaemonError('START_FAILED', 'stopped by a signal before it was ready');
  }
}
