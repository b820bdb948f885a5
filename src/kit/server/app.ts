import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import { createSchema, createYoga, maskError, Repeater, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { DaemonError } from '../errors.js';
import { STATUS_TYPE_DEFS, type LiveStatus } from '../status-shape.js';
import { checkRequest, type GuardOptions } from './guard.js';

/** What the GraphQL app needs from the daemon. */
export interface AppOptions extends GuardOptions {
  status: () => LiveStatus;
  /** Subscribe to "something changed"; returns the unsubscribe function. */
  onChange: (listener: () => void) => () => void;
  typeDefs?: string;
  resolvers?: Record<string, unknown>;
  introspection?: boolean;
  /** Counts requests that passed the guard. */
  countRequest: () => void;
  /** Registers a subscription's stop function, so shutdown can end them. */
  trackSubscription: (stop: () => void) => () => void;
}

/**
 * Builds the yoga app, apart from any socket: tests call `app.fetch()`.
 * Every request goes through the guard before GraphQL sees it.
 */
export function createDaemonApp(options: AppOptions): YogaServerInstance<object, object> {
  const guard: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      const verdict = checkRequest(request.headers, options);
      if (verdict) {
        const body = JSON.stringify({ errors: [{ message: verdict.message }] });
        endResponse(new fetchAPI.Response(body, { status: verdict.status, headers: { 'content-type': 'application/json' } }));
        return;
      }
      options.countRequest();
    },
  };
  const plugins: Plugin[] = [guard];
  if (!options.introspection) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  }
  const kitResolvers = {
    Query: { status: () => options.status() },
    Subscription: {
      status: {
        subscribe: (_: unknown, args: { intervalSeconds?: number | null }) => statusStream(options, args.intervalSeconds),
        resolve: (payload: LiveStatus) => payload,
      },
    },
  };
  return createYoga({
    schema: createSchema({
      typeDefs: [STATUS_TYPE_DEFS, options.typeDefs ?? ''].filter(Boolean),
      resolvers: mergeResolvers(kitResolvers, options.resolvers ?? {}) as never,
    }),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    // A DaemonError is meant for the user (it names what failed): its message
    // and code go through; anything else is masked as yoga does by default.
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof DaemonError) return new GraphQLError(original.message, { extensions: { code: original.code } });
        return maskError(error, message, isDev);
      },
    },
    logging: false,
    plugins,
  });
}

function statusStream(options: AppOptions, intervalSeconds?: number | null): Repeater<LiveStatus> {
  return new Repeater<LiveStatus>(async (push, stop) => {
    const untrack = options.trackSubscription(() => stop());
    await push(options.status());
    const off = options.onChange(() => void push(options.status()));
    const ms = intervalSeconds ? Math.max(100, intervalSeconds * 1000) : 0;
    const timer = ms ? setInterval(() => void push(options.status()), ms) : undefined;
    await stop;
    off();
    untrack();
    if (timer) clearInterval(timer);
  });
}

/** Merges two resolver maps type by type (Query, Mutation, Subscription…). */
export function mergeResolvers(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [type, fields] of Object.entries(b)) {
    const prev = out[type];
    out[type] = prev && typeof prev === 'object' && fields && typeof fields === 'object' ? { ...prev, ...fields } : fields;
  }
  return out;
}
