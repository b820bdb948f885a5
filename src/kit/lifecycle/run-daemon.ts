import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, writeSync } from 'node:fs';
import type { DaemonApp, DaemonContext, DaemonDefinition } from '../define.js';
import { DaemonError, errnoOf, toDaemonError } from '../errors.js';
import { createDaemonLog, openLog, type DaemonLog } from '../log/daemon-log.js';
import { guardTerminal, type Terminal } from '../log/terminal.js';
import { bootId, processStartTime } from '../process/process-info.js';
import { escalation, REAP_GRACE_MS, reapInDaemon } from './reap.js';
import { hostsFor } from '../server/guard.js';
import { listen, type Listening } from '../server/listen.js';
import { selfQuery } from '../server/self-query.js';
import { UiSessions } from '../server/ui-session.js';
import type { LiveStatus } from '../server/status-shape.js';
import { ensureInstanceDir } from '../state/instance-dir.js';
import { acquireLock, AlreadyRunningError } from '../state/lock.js';
import { saveCodeCache } from '../code-cache.js';
import { readMetadata, removeMetadata, writeMetadata, type Metadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';
import { buildMetadata } from './daemon-metadata.js';
import { installSignals } from './daemon-signals.js';
import { liveStatus } from './live-status.js';
import type { ReadyPipe } from './ready-pipe.js';
import { watchState } from './state-watch.js';
import { TeardownStack } from './teardown.js';
import { reachStep, type FaultStep, type TestFaults } from './test-faults.js';

/** How the daemon process was asked to run. */
export interface DaemonRunOptions {
  paths: InstancePaths;
  host: string;
  port: number;
  foreground: boolean;
  /** Foreground only: one JSON object per line on stdout (`{"service","daemon","time","line"}` for the daemon's own). */
  json?: boolean;
  pipe: ReadyPipe;
  /** Test-only misbehaviour (see test-faults.ts); none by default. */
  faults?: TestFaults;
  introspection?: boolean;
  drainMs?: number;
  /** Lifetime of a dashboard login code (tests shorten it; default 60 s). */
  uiCodeTtlMs?: number;
  /** A query whose answer goes on the ready pipe (what `start` would ask right after). */
  readyQuery?: string;
  /** The configuration file named on the command line, or null. */
  configFile?: string | null;
  /** What the tool's CLI launched it with (CliExtensions.launch). */
  launch?: unknown;
}

/** How long in-flight requests get to finish at shutdown. */
const DEFAULT_DRAIN_MS = 5_000;

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
  /** What daemon.json says now (rewritten when the stop budget changes). */
  private metadata: Metadata | undefined;

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
        this.republishStopBudget();
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
    const { createDaemonApp } = await server$;
    const allowed = hostsFor(this.options.host, bound.port);
    const yoga = createDaemonApp({
      token: this.token,
      allowedHosts: () => allowed,
      status: this.status,
      onChange: (listener) => {
        this.changes.on('change', listener);
        return () => this.changes.off('change', listener);
      },
      typeDefs: app.typeDefs,
      introspection: this.options.introspection,
      countRequest: () => void this.requestsServed++,
      trackSubscription: (stop) => {
        this.subscriptions.add(stop);
        return () => this.subscriptions.delete(stop);
      },
      resolvers: app.resolvers?.(this.started.state, this.ctx),
      ui: app.ui && {
        bundle: app.ui,
        logins: new UiSessions({ codeTtlMs: this.options.uiCodeTtlMs }),
        // Cookies are per host, not per port: each daemon on 127.0.0.1 needs its own name.
        cookieName: `${this.def.name}_ui_${bound.port}`,
        command: `${this.def.name} ui`,
      },
    });
    bound.setHandler(yoga);
    const metadata = this.publishMetadata(bound.port);
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

  /** Step: the advisory lock, held for the daemon's whole life. */
  private async takeLock(): Promise<void> {
    const lock = await acquireLock(this.options.paths, {
      owner: { pid: process.pid, processStartTime: processStartTime(process.pid), bootId: bootId(), instanceId: this.instanceId },
      onCompromised: (err) => this.requestStop(`the lock was compromised (${err.message}); another daemon may own it`, 1),
    });
    this.teardown.push('releasing the lock', () => lock.release());
    await reapInDaemon(this.def.reap, { paths: this.options.paths, graceMs: REAP_GRACE_MS, log: this.log.line, why: 'left by a killed daemon' });
    // Only our own metadata: after a compromised lock it may be another daemon's.
    // A state dir made unsafe while we ran (a chmod, a chown) makes this step
    // fail and log; the stack still releases the lock.
    this.teardown.push(`removing ${this.options.paths.metadataFile}`, () => {
      const current = readMetadata(this.options.paths.metadataFile);
      if (current.kind === 'ok' && current.metadata.instanceId === this.instanceId) removeMetadata(this.options.paths.metadataFile);
    });
    this.throwIfStopping();
  }

  /** Step: bind the endpoint (requests get 503 until the app is mounted). */
  private async bindEndpoint(app: DaemonApp<S>): Promise<Listening> {
    const { host, port, paths } = this.options;
    const bound = await listen(host, port).catch((err: unknown) => {
      const e = toDaemonError(err, 'START_FAILED');
      // Name who holds the port, so the user knows what to stop.
      const holder = e.code === 'PORT_IN_USE' ? app.describePortInUse?.(port, paths) : null;
      if (!holder) throw e;
      // The holder right after the address, before the next step listen() suggests.
      const message = /^listen EADDRINUSE: address already in use [^;]+/.test(e.message)
        ? e.message.replace(/^(listen EADDRINUSE: address already in use [^;]+)/, `$1: ${holder}`)
        : `${e.message}: ${holder}`;
      throw new DaemonError(e.code, message, { cause: err });
    });
    this.teardown.push('closing the endpoint', async () => {
      for (const stop of this.subscriptions) stop();
      const closing = bound.close(this.options.drainMs ?? DEFAULT_DRAIN_MS);
      await this.step('mid-drain');
      await closing;
    });
    return bound;
  }

  /** Step: write daemon.json, atomically; from here on clients can find the daemon. */
  private publishMetadata(port: number): Metadata {
    const { paths, host, foreground } = this.options;
    const metadata = buildMetadata({ def: this.def, paths, instanceId: this.instanceId, token: this.token, startedAt: this.startedAt, host, port, foreground, stopTimeoutMs: this.stopBudgetMs() });
    writeMetadata(paths.metadataFile, metadata);
    this.metadata = metadata;
    return metadata;
  }

  /** What `stop` should wait for: the endpoint's drain plus the tool's stop budget. */
  private stopBudgetMs(): number {
    const budget = this.started ? (this.started.app.stopBudgetMs?.(this.started.state) ?? 0) : 0;
    return (this.options.drainMs ?? DEFAULT_DRAIN_MS) + budget;
  }

  // A change (a reload, by SIGHUP or the API) may change the stop budget; never once stopping (teardown removes the file).
  private republishStopBudget(): void {
    const { metadata } = this;
    if (!metadata || this.stopper.signal.aborted) return;
    const next = this.stopBudgetMs();
    if (next === metadata.stopTimeoutMs) return;
    try {
      writeMetadata(this.options.paths.metadataFile, (this.metadata = { ...metadata, stopTimeoutMs: next }));
    } catch (err) {
      this.log.line(`publishing the stop budget in ${this.options.paths.metadataFile}: ${(err as Error).message}`);
    }
  }

  /** Step: stop when the state dir disappears under the running daemon. */
  private watchState(): () => void {
    const { paths } = this.options;
    return watchState(paths, () => {
      // Its files are gone (rm -rf of the state dir): nothing can find or stop
      // this daemon any more, and the next start would run a second one. Stop
      // now, before that start can bind, and say so where `logs` will look.
      const why = `the state dir ${paths.dir} was removed under the running daemon`;
      try {
        if (existsSync(paths.logFile)) throw new Error('the log is still there: requestStop writes to it');
        ensureInstanceDir(paths, this.def.name);
        const fd = openLog(paths.logFile);
        writeSync(fd, `${new Date().toISOString()} stopping: ${why}\n`);
        closeSync(fd);
      } catch {
        // The log is still there, or not writable any more: requestStop's line goes to the open log.
      }
      this.requestStop(why, 1);
    });
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
    if (err instanceof AlreadyRunningError) {
      this.options.pipe.send({ ok: false, code: err.code, message: err.message, pid: err.pid });
    } else {
      const e = toDaemonError(err, 'START_FAILED');
      this.log.line(`start failed: ${e.message}`);
      // The pipe names the errno where there is one (CONTRACT: "code":"EADDRINUSE"); start maps it back.
      this.options.pipe.send({ ok: false, code: errnoOf(e) ?? e.code, message: e.message });
    }
    await this.teardown.run();
  }

  private step(step: FaultStep): Promise<void> {
    return reachStep(this.faults, step, this.stopper.signal);
  }

  private throwIfStopping(): void {
    if (this.stopper.signal.aborted) throw new DaemonError('START_FAILED', 'stopped by a signal before it was ready');
  }
}
