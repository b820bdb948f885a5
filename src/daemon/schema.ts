import { Repeater } from 'graphql-yoga';
import { DaemonError, TimeoutError } from '../kit/errors.js';
import type { ServiceEvent, ServiceInfo } from '../services/types.js';
import type { TendState } from './tend-app.js';
import { serviceLogStream } from './log-stream.js';
import type { ServiceLogLine } from './log-shape.js';

/** Resolvers of SERVICES_TYPE_DEFS over the running supervisor. */
export function serviceResolvers(state: TendState): Record<string, unknown> {
  const sup = () => state.supervisor;
  const pick = (names?: string[] | null) => (names?.length ? names.map((n) => info(state, n)) : sup().list());
  return {
    Query: {
      services: () => sup().list(),
      loadedConfig: () => state.loaded,
      service: (_: unknown, { name }: { name: string }) => sup().get(name) ?? null,
      async awaitReady(_: unknown, { names, timeoutSeconds }: { names?: string[] | null; timeoutSeconds: number }) {
        // No names: the services that were asked to run (autostart false, inactive profiles and stopped ones are not awaited).
        const wanted = names ?? sup().list().filter((s) => s.state !== 'stopped').map((s) => s.name);
        // The deadline's reason says so: waitReady then names the service it caught waiting.
        // It also ends when the daemon stops: a stopped daemon's services are "stopped", which is not ready.
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new TimeoutError('READY_TIMEOUT', `is not ready after ${timeoutSeconds} s`)), Math.max(0, timeoutSeconds) * 1000);
        const stopped = () => new DaemonError('DAEMON_STOPPED', 'the daemon was stopped before the services were ready');
        const onStop = () => deadline.abort(stopped());
        state.signal.addEventListener('abort', onStop, { once: true });
        try {
          if (state.signal.aborted) throw stopped();
          await sup().waitReady(wanted, deadline.signal);
        } catch (err) {
          if (state.signal.aborted) throw stopped();
          throw err;
        } finally {
          clearTimeout(timer);
          state.signal.removeEventListener('abort', onStop);
        }
        if (state.signal.aborted) throw stopped();
        return pick(wanted);
      },
      serviceLogTail(_: unknown, { name, lines }: { name: string; lines: number }) {
        info(state, name);
        return sup().logTail(name, Math.min(Math.max(lines, 0), 10_000));
      },
    },
    Mutation: {
      startService: async (_: unknown, { name }: { name: string }) => (await sup().start([name]), info(state, name)),
      stopService: async (_: unknown, { name }: { name: string }) => (await sup().stop([name]), info(state, name)),
      restartService: async (_: unknown, { name }: { name: string }) => (await sup().restart([name]), info(state, name)),
      startServices: async (_: unknown, { names }: { names?: string[] | null }) => (await sup().start(names ?? undefined), pick(names)),
      stopServices: async (_: unknown, { names }: { names?: string[] | null }) => (await sup().stop(names ?? undefined), pick(names)),
      restartServices: async (_: unknown, { names }: { names?: string[] | null }) => (await sup().restart(names ?? undefined), pick(names)),
      reload: () => state.reload(),
    },
    Subscription: {
      serviceEvents: {
        subscribe: (_: unknown, { names }: { names?: string[] | null }) => eventStream(state, names ?? null),
        resolve: (event: ServiceEvent) => event,
      },
      serviceLog: {
        subscribe: (_: unknown, { name, tail }: { name: string; tail: number }) => serviceLogStream(name, info(state, name).logFile, tail, state.signal),
        resolve: (line: ServiceLogLine) => line,
      },
    },
  };
}

function info(state: TendState, name: string): ServiceInfo {
  const found = state.supervisor.get(name);
  if (!found) throw new DaemonError('SERVICE_UNKNOWN', unknownMessage(state, name));
  return found;
}

function unknownMessage(state: TendState, name: string): string {
  const known = state.supervisor.list().map((s) => s.name);
  return `no service named "${name}"${known.length ? ` (services: ${known.join(', ')})` : ' (this project has no services)'}`;
}

function eventStream(state: TendState, names: string[] | null): Repeater<ServiceEvent> {
  return new Repeater<ServiceEvent>(async (push, stop) => {
    const off = state.supervisor.onEvent((event) => {
      if (!names || names.includes(event.service)) void push(event);
    });
    // Shutdown ends every subscription, so the drain does not wait on them.
    const end = () => void stop();
    state.signal.addEventListener('abort', end, { once: true });
    await stop;
    off();
    state.signal.removeEventListener('abort', end);
  });
}
