import { printStart, startFromArgs } from '../../kit/cli/commands/start.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { DaemonError, InputError } from '../../kit/errors.js';
import { given } from '../../kit/cli/spec.js';
import { probeDaemon } from '../../kit/lifecycle/liveness.js';
import { SERVICE_SELECTION } from '../../daemon/service-shape.js';
import type { ServiceInfo } from '../../services/types.js';
import { ask, printServices, serviceMutation } from '../daemon-client.js';
import { startWarnings } from '../start-report.js';
import { staleConfigNotice, type LoadedConfig } from '../config-notices.js';

/**
 * `tend start [SERVICE...] [--wait]`: the daemon with every autostart service,
 * or with only the named ones (and their dependencies); with a daemon already
 * running, the named services are started in it.
 */
export default async function start(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  const waitMs = waitMsFor(args);
  if (names.length) {
    // In the running daemon; with none (or a dead one's state), a new daemon runs only these (and their dependencies).
    // A daemon that is alive but not answering is said so (exit 4), never started over.
    const started = await serviceMutation(ctx, 'startServices', names, false).catch((err: unknown) => {
      if (err instanceof DaemonError && (err.code === 'NOT_RUNNING' || err.code === 'STALE')) return null;
      throw err;
    });
    if (started) {
      await printServices(ctx, args.wait ? await awaitReady(ctx, names, waitMs) : started);
      return 0;
    }
  }
  let result = await startFromArgs({ ...args, 'wait-timeout': args['wait-timeout'] ?? 10 }, ctx);
  const stale = result.alreadyRunning ? staleConfigNotice(ctx, result.daemon.extra.loadedConfig as LoadedConfig | undefined) : null;
  if (stale) ctx.err(stale);
  if (args.wait) {
    const pid = result.daemon.live.pid;
    await awaitReady(ctx, names.length ? names : null, waitMs).catch((err: Error) => {
      if (err instanceof DaemonError && STOPPED_CODES.has(err.code)) throw lostToStop(ctx, pid, err);
      const hint = `the daemon keeps running (pid ${pid}): '${ctx.def.name} ps' shows the services, '${ctx.def.name} stop' stops everything`;
      throw new DaemonError('SERVICE_FAILED', `${err.message}\n${hint}`, { cause: err });
    });
    const fresh = await probeDaemon(ctx.paths, { extraSelection: ctx.extensions.status?.selection });
    // Never "started" for a daemon that is gone by now.
    if (fresh.state !== 'running' || fresh.live.instanceId !== result.daemon.live.instanceId) throw lostToStop(ctx, pid);
    result = { ...result, daemon: fresh };
  }
  printStart(result, ctx);
  for (const warning of startWarnings(result, ctx)) ctx.err(warning);
  return 0;
}

// What a daemon that stopped under a waiting start looks like to it.
const STOPPED_CODES: ReadonlySet<string> = new Set(['DAEMON_STOPPED', 'NOT_RUNNING', 'STALE']);

function lostToStop(ctx: CommandContext, pid: number, cause?: Error): DaemonError {
  const message = `the daemon (pid ${pid}) was stopped (by '${ctx.def.name} stop' or a signal) before its services were ready`;
  return new DaemonError('DAEMON_STOPPED', message, { cause });
}

/** Waits in the daemon until the services are ready; fails naming the first that is not. */
export async function awaitReady(ctx: CommandContext, names: string[] | null, timeoutMs: number): Promise<ServiceInfo[]> {
  const { awaitReady: services } = await ask<{ awaitReady: ServiceInfo[] }>(
    ctx,
    `query ($names: [String!], $t: Float!) { awaitReady(names: $names, timeoutSeconds: $t) ${SERVICE_SELECTION} }`,
    { names, t: timeoutMs / 1000 },
    { workMs: timeoutMs },
  );
  return services;
}

// With --wait, --wait-timeout also bounds the services' readiness; real
// services take longer than a daemon, so its default is a minute there.
function waitMsFor(args: Args): number {
  const s = args['wait-timeout'] ?? (args.wait ? 60 : 10);
  if (typeof s !== 'number' || !(s > 0)) throw new InputError(`--wait-timeout must be a positive number of seconds, ${given(s)}`);
  return s * 1000;
}
