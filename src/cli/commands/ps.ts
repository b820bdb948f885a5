import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { subscribeDaemon } from '../../kit/client/ask-daemon.js';
import { DaemonError } from '../../kit/errors.js';
import { SERVICE_SELECTION } from '../../daemon/service-shape.js';
import type { ServiceEvent, ServiceInfo } from '../../services/types.js';
import { ask } from '../daemon-client.js';
import { servicesTable } from '../service-format.js';

const SERVICES_QUERY = `{ services ${SERVICE_SELECTION} }`;

/** How often `ps --watch` redraws the table between events, so UPTIME keeps moving. */
export const PS_TICK_MS = 1_000;

/**
 * `tend ps`: the services table (`--json`: `{"services":[…]}`); `--watch`
 * redraws on every service event and every second on a terminal (one line
 * per event otherwise), and says so when the daemon stops (exit 3).
 */
export default async function ps(args: Args, ctx: CommandContext): Promise<number> {
  const print = (services: ServiceInfo[]) =>
    ctx.out(ctx.json ? JSON.stringify({ services }) + '\n' : servicesTable(services, ctx.color));
  let { services } = await ask<{ services: ServiceInfo[] }>(ctx, SERVICES_QUERY);
  print(services);
  if (!args.watch) return 0;
  const redraw = process.stdout.isTTY && !ctx.json;
  const draw = () => {
    ctx.out('\u001b[2J\u001b[H');
    print(services);
  };
  let pending: Promise<void> = Promise.resolve();
  // The table's UPTIME is computed from startedAt at drawing time: redrawing
  // the last answer is enough, no request per tick.
  const tick = redraw ? setInterval(draw, PS_TICK_MS) : undefined;
  try {
    const ended = await subscribeDaemon<{ serviceEvents: ServiceEvent }>(
      { name: ctx.def.name, paths: ctx.paths, env: ctx.env, signal: ctx.signal },
      'subscription { serviceEvents { service kind state at message } }',
      ({ serviceEvents: e }) => {
        if (!redraw) {
          ctx.out(ctx.json ? JSON.stringify({ event: e }) + '\n' : `${e.at} ${e.service} ${e.kind} ${e.state}${e.message ? `: ${e.message}` : ''}\n`);
          return;
        }
        pending = pending
          .then(async () => {
            services = (await ask<{ services: ServiceInfo[] }>(ctx, SERVICES_QUERY)).services;
            draw();
          })
          .catch(() => {});
      },
    );
    if (ended === 'aborted') return 0;
  } catch (err) {
    // Gone between events: that is the watch ending, not a failure to start it.
    if (!(err instanceof DaemonError && (err.code === 'NOT_RUNNING' || err.code === 'STALE'))) throw err;
  } finally {
    clearInterval(tick);
  }
  ctx.err(`${ctx.def.name}: the daemon stopped; 'ps --watch' ends\n`);
  return 3;
}
