import type { EventEmitter } from 'node:events';
import type { DaemonApp } from '../define.js';
import { hostsFor } from '../server/guard.js';
import type { Listening } from '../server/listen.js';
import type { LiveStatus } from '../server/status-shape.js';
import { UiSessions } from '../server/ui-session.js';

/** What the GraphQL app of a daemon is made of. */
export interface MountInput {
  /** The tool's name (the dashboard's cookie and command). */
  name: string;
  bound: Listening;
  host: string;
  token: string;
  status: () => LiveStatus;
  /** Emits 'change' when the status changed (subscriptions push it). */
  changes: EventEmitter;
  /** Each live subscription's stop, ended first at shutdown. */
  subscriptions: Set<() => void>;
  countRequest: () => void;
  app: DaemonApp<any>;
  resolvers?: Record<string, unknown>;
  introspection?: boolean;
  uiCodeTtlMs?: number;
  /** The server module, its import begun early (it compiles while other steps wait on I/O). */
  server: Promise<typeof import('../server/yoga-app.js')>;
}

/** Makes the daemon's GraphQL app (yoga) and serves it on the bound endpoint; returns it (for the ready query). */
export async function mountApp(input: MountInput) {
  const { createDaemonApp } = await input.server;
  const { bound, app, changes, subscriptions } = input;
  const allowed = hostsFor(input.host, bound.port);
  const yoga = createDaemonApp({
    token: input.token,
    allowedHosts: () => allowed,
    status: input.status,
    onChange: (listener) => {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },
    typeDefs: app.typeDefs,
    introspection: input.introspection,
    countRequest: input.countRequest,
    trackSubscription: (stop) => {
      subscriptions.add(stop);
      return () => subscriptions.delete(stop);
    },
    resolvers: input.resolvers,
    ui: app.ui && {
      bundle: app.ui,
      logins: new UiSessions({ codeTtlMs: input.uiCodeTtlMs }),
      // Cookies are per host, not per port: each daemon on 127.0.0.1 needs its own name.
      cookieName: `${input.name}_ui_${bound.port}`,
      command: `${input.name} ui`,
    },
  });
  bound.setHandler(yoga);
  return yoga;
}
