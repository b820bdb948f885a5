/**
 * The service supervisor of one project. It starts services in dependency
 * order (a pending service launches once its dependencies' conditions hold),
 * each in its own process group with its own log; runners keep them up by
 * their restart policy; stop takes down whole groups, dependents first.
 * Every change is an event; services.json lets a successor reap orphans.
 * Longer than ~200 lines because it is the whole API the daemon and GraphQL
 * use over the services (start, stop, restart, reload, waits, views): each
 * method a few lines over the runners, the launch pump (launch-pump.ts), the
 * stop order (dependency-graph.ts) and the reload plan (reload-plan.ts).
 */
import { DaemonError } from '../kit/errors.js';
import { DEFAULT_BACKOFF, DEFAULT_FAILURE, type BackoffOptions, type FailureOptions } from './backoff.js';
import { stopBudgetMs, stopLevels, withDependencies } from './dependency-graph.js';
import { DEFAULT_ROTATION, LogWriter, type LogRotation } from './log/log-writer.js';
import { ServiceRegistry, registryPath } from './registry.js';
import { serviceFiles } from '../kit/state/paths.js';
import { FifoMaker } from './process/fifo-maker.js';
import { ProcessTable } from './process/process-table.js';
import { ServiceRunner, type RunnerContext, type ServiceOutput } from './service-runner.js';
import type { ProjectConfig, ReloadResult, ServiceConfig, ServiceEvent, ServiceInfo } from './types.js';
import { LaunchPump } from './launch-pump.js';
import { reloadPlan } from './reload-plan.js';
import { ServiceEvents } from './service-events.js';
import { settle } from './settle.js';
import { waitForReady } from './wait-ready.js';

/** Re-exported so the daemon needs one import: reap a killed daemon's leftovers before `new Supervisor`. */
export { reapOrphans, type ReapOptions, type ReapResult } from './process/orphans.js';
/** The error waitReady rejects with (code SERVICE_FAILED). */
export { ServiceFailedError } from './wait-ready.js';

/** What each batch of the stop order gets beyond its stop timeout, for SIGKILL to take effect. */
const KILL_ALLOWANCE_MS = 1_000;

/** How a Supervisor is set up; everything but instanceDir has a default. */
export interface SupervisorOptions {
  /** services/<name>.log and services.json go here. */
  instanceDir: string;
  /** The supervisor's own messages (the daemon log). */
  log?: (line: string) => void;
  /** Each whole output line of each service, and each run's start and end (foreground `tend run`). */
  output?: ServiceOutput;
  /** Base environment of services; default process.env. */
  env?: NodeJS.ProcessEnv;
  backoff?: BackoffOptions;
  failure?: FailureOptions;
  logRotation?: LogRotation;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  /** Absolute dirs a service's `watch:` never looks into; default the instance dir. */
  watchIgnore?: string[];
  /** Who holds a service's port, or null: checked before each spawn and after a failed run. */
  portInUse?: (config: ServiceConfig) => string | null;
}

/** Supervises the services of one project. */
export class Supervisor {
  private config: ProjectConfig;
  private runners = new Map<string, ServiceRunner>();
  private readonly events: ServiceEvents;
  private readonly registry: ServiceRegistry;
  private readonly ctx: RunnerContext;
  private readonly lookup = (name: string): ServiceRunner | undefined => this.runners.get(name);
  private readonly pump = new LaunchPump(() => this.runners.values(), this.lookup);
  private closing: Promise<void> | null = null;

  constructor(
    config: ProjectConfig,
    private readonly options: SupervisorOptions,
  ) {
    this.config = config;
    const log = options.log ?? (() => {});
    this.events = new ServiceEvents(log);
    this.registry = new ServiceRegistry(registryPath(options.instanceDir), log);
    this.ctx = {
      env: options.env ?? process.env,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      failure: options.failure ?? DEFAULT_FAILURE,
      clock: options.clock ?? Date.now,
      registry: this.registry,
      watchIgnore: options.watchIgnore ?? [options.instanceDir],
      table: new ProcessTable(),
      fifos: new FifoMaker(),
      log,
      output: options.output,
      emit: (runner, kind, message) => this.emit(runner, kind, message),
      portInUse: options.portInUse,
    };
    for (const service of config.services) this.runners.set(service.name, this.createRunner(service));
  }

  /** Starts the named services (default all) and what they depend on; resolves once each is spawned (or failed to) or pending. */
  async start(names?: string[]): Promise<void> {
    this.assertOpen();
    const targets = withDependencies(this.config.services, this.resolve(names));
    for (const name of targets) await this.runner(name).settled();
    for (const name of targets) this.runner(name).request();
    await this.pump.run();
  }

  /** Stops the named services (default all), dependents first; each ends `stopped`. */
  async stop(names?: string[]): Promise<void> {
    const targets = this.resolve(names);
    // Unwanted first, so nothing restarts or launches while earlier batches stop.
    for (const name of targets) this.runner(name).wanted = false;
    for (const batch of stopLevels(this.config.services, targets)) {
      await Promise.all(batch.map((name) => this.runner(name).stop()));
    }
  }

  /** The longest stop() of every service may take (see stopBudgetMs). */
  stopBudgetMs(): number {
    return stopBudgetMs(this.config.services, [...this.runners.keys()], KILL_ALLOWANCE_MS);
  }

  /** Stops then starts the named services (default all). */
  async restart(names?: string[]): Promise<void> {
    this.assertOpen();
    const targets = this.resolve(names);
    await this.stop(targets);
    for (const name of targets) this.runner(name).countRestart();
    await this.start(targets);
  }

  /** Applies a new configuration: stops removed, restarts changed, starts added, leaves the rest alone. */
  async reload(next: ProjectConfig, diff: ReloadResult): Promise<void> {
    this.assertOpen();
    const { removed, changed, added } = reloadPlan(this.runners.keys(), next, diff);
    const restartChanged = changed.filter((name) => this.runner(name).wanted);
    await this.stop([...removed, ...changed]);
    await Promise.all(removed.map((name) => this.runner(name).writer.close()));
    const runners = new Map<string, ServiceRunner>();
    for (const service of next.services) {
      const existing = this.runners.get(service.name);
      if (existing !== undefined) existing.config = service;
      runners.set(service.name, existing ?? this.createRunner(service));
    }
    this.config = next;
    this.runners = runners;
    const autostart = new Set(next.services.filter((s) => s.autostart !== false).map((s) => s.name));
    await this.start([...added.filter((name) => autostart.has(name)), ...restartChanged]);
  }

  /**
   * Resolves when every named service (default all) is ready, or has completed
   * successfully; rejects with a ServiceFailedError (code SERVICE_FAILED) for
   * the first that failed, exited, or whose probe gave up, or when `signal` aborts.
   */
  waitReady(names?: string[], signal?: AbortSignal): Promise<void> {
    let wanted: Set<string>;
    try {
      wanted = new Set(this.resolve(names));
    } catch (err) {
      return Promise.reject(err);
    }
    const order = withDependencies(this.config.services, [...wanted]).filter((name) => wanted.has(name));
    const unknown = (name: string): Error => unknownService(name, this.runners.keys());
    return waitForReady({ order, lookup: this.lookup, onEvent: (l) => this.onEvent(l), unknown, signal });
  }

  /** Waits (at most `windowMs`, default SETTLE_MS) for the spawned services to show how they are doing; see settle.ts. */
  settle(windowMs?: number, signal?: AbortSignal): Promise<void> {
    return settle({ runners: () => [...this.runners.values()], onEvent: (l) => this.onEvent(l), clock: this.ctx.clock, windowMs, signal });
  }

  /** Every service, in configuration order. */
  list(): ServiceInfo[] {
    return [...this.runners.values()].map((runner) => runner.info());
  }

  /** One service, or undefined when there is no such service. */
  get(name: string): ServiceInfo | undefined {
    return this.runners.get(name)?.info();
  }

  /** Subscribes to service events; returns the unsubscribe function. */
  onEvent(listener: (event: ServiceEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** The last `lines` lines of a service's log. */
  logTail(name: string, lines: number): string[] {
    return this.runner(name).writer.tail(lines);
  }

  /** Stops every service, flushes the logs, and removes services.json. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.stop();
      await Promise.all([...this.runners.values()].map((runner) => runner.writer.close()));
      // A group that survived SIGKILL (stuck in the kernel) stays recorded for reapOrphans.
      if (this.registry.size === 0) this.registry.clear();
      else this.ctx.log(`${this.registry.size} service process group(s) could not be stopped; left in services.json`);
    })();
    return this.closing;
  }

  private createRunner(service: ServiceConfig): ServiceRunner {
    const file = serviceFiles(this.options.instanceDir).serviceLog(service.name);
    const writer = new LogWriter(file, this.options.logRotation ?? DEFAULT_ROTATION, this.ctx.log);
    return new ServiceRunner(service, writer, this.ctx);
  }

  private emit(runner: ServiceRunner, kind: ServiceEvent['kind'], message: string | null): void {
    this.events.publish({ service: runner.config.name, kind, state: runner.state, at: new Date(this.ctx.clock()).toISOString(), message });
    this.pump.schedule();
  }

  private resolve(names: string[] | undefined): string[] {
    if (names === undefined) return [...this.runners.keys()];
    for (const name of names) if (!this.runners.has(name)) throw unknownService(name, this.runners.keys());
    return [...new Set(names)];
  }

  private runner(name: string): ServiceRunner {
    const runner = this.runners.get(name);
    if (runner === undefined) throw unknownService(name, this.runners.keys());
    return runner;
  }

  private assertOpen(): void {
    if (this.closing !== null) throw new DaemonError('SUPERVISOR_CLOSED', 'the service supervisor is shutting down');
  }
}

function unknownService(name: string, known: Iterable<string>): DaemonError {
  const list = [...known].join(', ') || 'none';
  return new DaemonError('SERVICE_UNKNOWN', `no service named "${name}" (services: ${list})`);
}
