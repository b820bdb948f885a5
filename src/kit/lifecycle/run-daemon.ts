import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DaemonApp, DaemonContext, DaemonDefinition } from '../define.js';
import { closeSync, existsSync, writeSync } from 'node:fs';
import { createDaemonLog, openLog } from '../log/daemon-log.js';
import { DaemonError } from '../errors.js';
import { ensureInstanceDir } from '../state/instance-dir.js';
import { acquireLock, AlreadyRunningError, type HeldLock } from '../state/lock.js';
import { readMetadata, removeMetadata, writeMetadata, type Metadata } from '../state/metadata.js';
import type { InstancePaths } from '../state/paths.js';
import { bootId, processStartTime } from '../process/process-info.js';
import type { ReadyPipe } from './ready-pipe.js';
import { hostsFor } from '../server/guard.js';
import { listen, type Listening } from '../server/listen.js';
import { selfQuery } from '../server/self-query.js';
import type { LiveStatus } from '../server/status-shape.js';

/** How the daemon process was asked to run. */
export interface DaemonRunOptions {
  paths: InstancePaths;
  host: string;
  port: number;
  foreground: boolean;
  pipe: ReadyPipe;
  /**
   * Test-only misbehaviour, inert unless set: a step name (before-lock,
   * after-lock, after-bind, after-metadata, before-ready, mid-drain) makes the
   * daemon SIGKILL itself there; `hang-before-ready` never says ready (a stop
   * signal still ends it); `ignore-sigterm` makes SIGTERM do nothing.
   */
  fault?: string;
  introspection?: boolean;
  drainMs?: number;
  /** A query whose answer goes on the ready pipe (what `start` would ask right after). */
  readyQuery?: string;
  /** The configuration file named on the command line, or null. */
  configFile?: string | null;
  /** What the tool's CLI launched it with (CliExtensions.launch). */
  launch?: unknown;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/**
 * The daemon's whole life: lock, bind, start the tool, write metadata, say
 * ready; then serve until SIGTERM/SIGINT/SIGQUIT and take it all down in
 * reverse. Returns the exit code; every failure before ready is reported on
 * the ready pipe and leaves nothing behind.
 */
export async function runDaemon<S>(def: DaemonDefinition<S>, options: DaemonRunOptions): Promise<number> {
  const { paths, pipe } = options;
  const instanceId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const stopper = new AbortController();
  const changes = new EventEmitter();
  const subscriptions = new Set<() => void>();
  let requestsServed = 0;
  let lock: HeldLock | undefined;
  let server: Listening | undefined;
  let metadata: Metadata | undefined;
  let app: DaemonApp<S> | undefined;
  let state: S | undefined;
  let exitCode = 0;
  const fault = async (step: string) => {
    if (options.fault === step) process.kill(process.pid, 'SIGKILL');
    if (options.fault === `hang-${step}` && !stopper.signal.aborted) {
      await new Promise((resolve) => stopper.signal.addEventListener('abort', resolve, { once: true }));
    }
  };

  ensureInstanceDir(paths, def.name);
  const log = createDaemonLog(paths.logFile, options.foreground);
  const requestStop = (why: string, code = 0) => {
    if (stopper.signal.aborted) return;
    exitCode = code;
    log.line(`stopping: ${why}`);
    stopper.abort();
  };
  for (const sig of STOP_SIGNALS) {
    process.on(sig, () => {
      if (sig === 'SIGTERM' && options.fault === 'ignore-sigterm') return log.line('ignoring SIGTERM (test fault)');
      requestStop(`received ${sig}`);
    });
  }
  process.on('SIGHUP', () => void reload());
  process.on('SIGUSR1', () => log.line(`snapshot ${JSON.stringify({ status: status(), app: state !== undefined ? app?.snapshot?.(state) : null })}`));
  process.on('uncaughtException', (err) => {
    log.line(`uncaught exception: ${err.stack ?? err.message}`);
    requestStop('uncaught exception', 1);
  });
  process.on('unhandledRejection', (err) => log.line(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));

  const startedAt = new Date();
  const status = (): LiveStatus => {
    const m = process.memoryUsage();
    return {
      instanceId,
      pid: process.pid,
      version: def.version,
      startedAt: startedAt.toISOString(),
      // Wall clock, not a monotonic timer: uptime must include time asleep.
      uptimeSeconds: Math.max(0, (Date.now() - startedAt.getTime()) / 1000),
      projectDir: paths.projectDir,
      logFile: paths.logFile,
      foreground: options.foreground,
      requestsServed,
      memory: { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external },
    };
  };
  const ctx: DaemonContext = {
    projectDir: paths.projectDir,
    paths,
    instanceId,
    foreground: options.foreground,
    configFile: options.configFile ?? null,
    launch: options.launch,
    log: log.line,
    output: log.output,
    notifyChange: () => changes.emit('change'),
    signal: stopper.signal,
  };
  async function reload() {
    if (!app?.reload || state === undefined) return log.line('SIGHUP: nothing to reload');
    try {
      log.line(`reloaded: ${await app.reload(state, ctx)}`);
    } catch (err) {
      log.line(`reload failed, keeping the running configuration: ${(err as Error).message}`);
    }
  }

  try {
    await fault('before-lock');
    lock = await acquireLock(paths, {
      owner: { pid: process.pid, processStartTime: processStartTime(process.pid), bootId: bootId(), instanceId },
      onCompromised: (err) => requestStop(`the lock was compromised (${err.message}); another daemon may own it`, 1),
    });
    await fault('after-lock');
    throwIfStopping(stopper.signal);
    // yoga and graphql are compiled only by the daemon that won the lock (a
    // losing racer has exited by now), while the tool's code loads.
    const server$ = import('../server/yoga-app.js');
    server$.catch(() => {}); // awaited below; an early failure must not leave it unhandled
    app = await def.load();
    const loaded = app;
    server = await listen(options.host, options.port).catch((err: NodeJS.ErrnoException) => {
      // Name who holds the port, so the user knows what to stop.
      const holder = err.code === 'EADDRINUSE' ? loaded.describePortInUse?.(options.port, paths) : null;
      throw new DaemonError(err.code ?? 'START_FAILED', holder ? `${err.message}: ${holder}` : err.message, { cause: err });
    });
    const bound = server;
    await fault('after-bind');
    // The app starts before the endpoint serves: its resolvers need its state,
    // and nobody can address the endpoint before metadata names its port.
    const started = await app.start(ctx);
    state = started;
    throwIfStopping(stopper.signal);
    const allowed = hostsFor(options.host, bound.port);
    const { createDaemonApp } = await server$;
    const yoga = createDaemonApp({
      token,
      allowedHosts: () => allowed,
      status,
      onChange: (listener) => {
        changes.on('change', listener);
        return () => changes.off('change', listener);
      },
      typeDefs: app.typeDefs,
      introspection: options.introspection,
      countRequest: () => void requestsServed++,
      trackSubscription: (stop) => {
        subscriptions.add(stop);
        return () => subscriptions.delete(stop);
      },
      resolvers: app.resolvers?.(started, ctx),
    });
    bound.setHandler(yoga);
    const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
    metadata = {
      schema: 1,
      pid: process.pid,
      processStartTime: processStartTime(process.pid),
      bootId: bootId(),
      instanceId,
      startedAt: startedAt.toISOString(),
      version: def.version,
      endpoint: `http://${hostPart}:${bound.port}/graphql`,
      host: options.host,
      port: bound.port,
      token,
      projectDir: paths.projectDir,
      logFile: paths.logFile,
      foreground: options.foreground,
    };
    writeMetadata(paths.metadataFile, metadata);
    await fault('after-metadata');
    await fault('before-ready');
    throwIfStopping(stopper.signal);
    const data = options.readyQuery && pipe.open ? await selfQuery(yoga, metadata, options.readyQuery) : undefined;
    pipe.send({ ok: true, pid: process.pid, endpoint: metadata.endpoint, instanceId, ...(data ? { data } : {}) });
    log.line(`ready: pid ${process.pid}, ${metadata.endpoint}, project ${paths.projectDir}`);
  } catch (err) {
    const e = err instanceof AlreadyRunningError ? err : toDaemonError(err);
    if (!(err instanceof AlreadyRunningError)) log.line(`start failed: ${e.message}`);
    pipe.send({ ok: false, code: e.code, message: e.message, ...(err instanceof AlreadyRunningError ? { pid: err.pid } : {}) });
    await teardown();
    if (err instanceof AlreadyRunningError) {
      if (options.foreground) throw err;
      return 0;
    }
    throw e;
  }

  const stateWatch = watchState(paths, () => {
    // Its files are gone (rm -rf of the state dir): nothing can find or stop
    // this daemon any more, and the next start would run a second one. Stop
    // now, before that start can bind, and say so where `logs` will look.
    const why = `the state dir ${paths.dir} was removed under the running daemon`;
    try {
      if (existsSync(paths.logFile)) throw new Error('the log is still there: requestStop writes to it');
      ensureInstanceDir(paths, def.name);
      const fd = openLog(paths.logFile);
      writeSync(fd, `${new Date().toISOString()} stopping: ${why}\n`);
      closeSync(fd);
    } catch {
      // The log is still there, or not writable any more: requestStop's line goes to the open log.
    }
    requestStop(why, 1);
  });
  await new Promise<void>((resolve) => stopper.signal.addEventListener('abort', () => resolve(), { once: true }));
  clearInterval(stateWatch);
  await teardown();
  log.line(`stopped (exit ${exitCode})`);
  return exitCode;

  async function teardown() {
    for (const stop of subscriptions) stop();
    const closing = server?.close(options.drainMs ?? 5_000);
    await fault('mid-drain');
    await closing;
    if (app && state !== undefined) {
      await app.stop(state, ctx).catch((err: Error) => log.line(`stopping the app failed: ${err.message}`));
    }
    // Only our own metadata: after a compromised lock it may be another daemon's.
    try {
      const current = readMetadata(paths.metadataFile);
      if (current.kind === 'ok' && current.metadata.instanceId === instanceId) removeMetadata(paths.metadataFile);
    } catch (err) {
      // The state dir became unsafe while we ran (a chmod, a chown): leave its files alone, still release the lock.
      log.line(`leaving ${paths.metadataFile} in place: ${(err as Error).message}`);
    }
    await lock?.release();
  }
}

function throwIfStopping(signal: AbortSignal): void {
  if (signal.aborted) throw new DaemonError('START_FAILED', 'stopped by a signal before it was ready');
}

function toDaemonError(err: unknown): DaemonError {
  if (err instanceof DaemonError) return err;
  const e = err as NodeJS.ErrnoException;
  return new DaemonError(e?.code ?? 'START_FAILED', e?.message ?? String(err), { cause: err });
}

/** How often a running daemon checks that its lock and owner record still exist. */
export const STATE_CHECK_MS = 200;

// proper-lockfile notices a removed lock only at its next refresh; this
// notices within STATE_CHECK_MS, well before a new daemon can be ready.
function watchState(paths: InstancePaths, onGone: () => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (!existsSync(paths.lockDir) || !existsSync(paths.ownerFile)) {
      clearInterval(timer);
      onGone();
    }
  }, STATE_CHECK_MS);
  timer.unref();
  return timer;
}
