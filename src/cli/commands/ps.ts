import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { subscribe } from '../../kit/client/subscribe.js';
import { SERVICE_SELECTION } from '../../daemon/service-shape.js';
import type { ServiceEvent, ServiceInfo } from '../../services/types.js';
import { ask, runningDaemon } from '../daemon-client.js';
import { servicesTable } from '../service-format.js';

const SERVICES_QUERY = `{ services ${SERVICE_SELECTION} }`;

/** `tend ps`: the services table (`--json`: `{"services":[…]}`); `--watch` redraws on every service event. */
export default async function ps(args: Args, ctx: CommandContext): Promise<number> {
  const print = (services: ServiceInfo[]) =>
    ctx.out(ctx.json ? JSON.stringify({ services }) + '\n' : servicesTable(services, ctx.color));
  const { services } = await ask<{ services: ServiceInfo[] }>(ctx, SERVICES_QUERY);
  print(services);
  if (!args.watch) return 0;
  const redraw = process.stdout.isTTY && !ctx.json;
  let pending: Promise<void> = Promise.resolve();
  const ended = await subscribe<{ serviceEvents: ServiceEvent }>(
    runningDaemon(ctx),
    'subscription { serviceEvents { service kind state at message } }',
    ({ serviceEvents: e }) => {
      if (!redraw) {
        ctx.out(ctx.json ? JSON.stringify({ event: e }) + '\n' : `${e.at} ${e.service} ${e.kind} ${e.state}${e.message ? `: ${e.message}` : ''}\n`);
        return;
      }
      pending = pending.then(async () => {
        const now = await ask<{ services: ServiceInfo[] }>(ctx, SERVICES_QUERY);
        ctx.out('\u001b[2J\u001b[H');
        print(now.services);
      }).catch(() => {});
    },
    ctx.signal,
  );
  return ended === 'aborted' ? 0 : 3;
}
