import { GraphQLError, NoSchemaIntrospectionCustomRule, parse } from 'graphql';
import { createSchema, createYoga, maskError, Repeater, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { DaemonError } from '../errors.js';
import { STATUS_TYPE_DEFS, type LiveStatus } from './status-shape.js';
import { authorize, type GuardOptions } from './guard.js';
import { uiResponse, type UiBundle } from './ui-routes.js';
import type { UiSessions } from './ui-session.js';

/** Most tokens a query may have (see the `limits` plugin). */
export const MAX_QUERY_TOKENS = 2_000;

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
  /** The dashboard, when the tool has one: served at `/`, logged into with `uiLoginCode`. */
  ui?: {
    /** Loaded on the first dashboard request, so an idle daemon never holds it. */
    bundle: () => Promise<UiBundle>;
    logins: UiSessions;
    cookieName: string;
    /** The command that opens it (`tend ui`), named on refusal pages. */
    command: string;
  };
}

/** The dashboard's login mutation, added to the schema when the tool has a dashboard. */
export const UI_TYPE_DEFS = `
"A one-time dashboard login: open path on the daemon's origin within 60 s; it works once."
type UiLogin {
  code: String!
  path: String!
}

extend type Mutation {
  "A one-time code for the dashboard (token holders only, not dashboard sessions)."
  uiLoginCode: UiLogin!
}
`;

/**
 * Builds the yoga app, apart from any socket: tests call `app.fetch()`.
 * Every request goes through the guard before GraphQL sees it.
 */
export function createDaemonApp(options: AppOptions): YogaServerInstance<object, object> {
  const ui = options.ui;
  const guardOptions: GuardOptions = ui ? { ...options, sessions: { cookieName: ui.cookieName, valid: (s) => ui.logins.valid(s) } } : options;
  // Who passed the guard, for resolvers that only a token holder may call.
  const via = new WeakMap<Request, 'token' | 'session'>();
  let bundle: Promise<UiBundle> | undefined;
  type End = (response: Response) => void;
  // The guard itself: a refusal ends the request here.
  const admit = (request: Request, endResponse: End, R: typeof Response): void => {
    const access = authorize(request.headers, guardOptions, request.method);
    if (!access.ok) {
      const body = JSON.stringify({ errors: [{ message: access.message }] });
      endResponse(new R(body, { status: access.status, headers: { 'content-type': 'application/json' } }));
      return;
    }
    via.set(request, access.via);
    options.countRequest();
  };
  const page = async (request: Request, endResponse: End, R: typeof Response): Promise<void> => {
    bundle ??= ui!.bundle();
    const answer = uiResponse(request, { ...guardOptions, ...ui!, bundle: await bundle, Response: R });
    return answer ? endResponse(answer) : admit(request, endResponse, R);
  };
  const guard: Plugin = {
    // Synchronous on the GraphQL path: a promise here would cost every
    // request a microtask turn in the adapter. `url` is the adapter's own
    // parse of request.url (it makes one per request anyway).
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (ui && url.pathname !== '/graphql') return page(request, endResponse, fetchAPI.Response);
      admit(request, endResponse, fetchAPI.Response);
    },
  };
  // A query of a few thousand tokens covers any real use; the limit stops
  // deeply nested selections (a stack overflow in the parser) and alias floods.
  const limitedParse = (source: Parameters<typeof parse>[0]) => parse(source, { maxTokens: MAX_QUERY_TOKENS });
  const limits: Plugin = {
    onParse: ({ setParseFn }) => setParseFn(limitedParse),
  };
  const plugins: Plugin[] = [guard, limits];
  if (!options.introspection) {
    plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  }
  const kitResolvers: Record<string, unknown> = {
    Query: { status: () => options.status() },
    Subscription: {
      status: {
        subscribe: (_: unknown, args: { intervalSeconds?: number | null }) => statusStream(options, args.intervalSeconds),
        resolve: (payload: LiveStatus) => payload,
      },
    },
  };
  if (ui) {
    kitResolvers.Mutation = {
      uiLoginCode: (_: unknown, __: unknown, ctx: { request: Request }) => {
        if (via.get(ctx.request) !== 'token') throw new DaemonError('UI_LOGIN_REFUSED', `a login code needs the daemon's token: run \`${ui.command}\``);
        const code = ui.logins.issueCode();
        return { code, path: `/ui/login?code=${code}` };
      },
    };
  }
  return withoutUndici(() =>
    createYoga<object, object>({
      schema: createSchema({
        typeDefs: [STATUS_TYPE_DEFS, options.typeDefs ?? '', ui ? UI_TYPE_DEFS : ''].filter(Boolean),
        resolvers: mergeResolvers(kitResolvers, options.resolvers ?? {}) as never,
      }),
      graphqlEndpoint: '/graphql',
      graphiql: false,
      landingPage: false,
      maskedErrors: { maskError: keepOwnErrors },
      logging: false,
      // Browsers are refused by the guard; yoga's CORS would answer their
      // preflight (OPTIONS) itself, before the guard, with the origin allowed.
      cors: false,
      // listen() already caps bodies at MAX_BODY_BYTES and refuses unsized
      // ones; yoga's own 25 MB limit would pipe every body through a counting
      // TransformStream (a pipeline and a DOMException per request).
      maxRequestBodySize: false,
      // listen() refuses every POST that is not JSON: no request parser for multipart uploads.
      multipart: false,
      plugins,
    }),
  );
}

/**
 * Runs `build` with `globalThis.Request` shadowed, then puts Node's own lazy
 * property back. @whatwg-node/server compares its Request with the global
 * one once, when the adapter is made; reading Node's global loads undici,
 * ~14 ms of every daemon start (measured 87–170 ms on this loaded machine,
 * `node -e "globalThis.Request"`), for a class the daemon never uses: yoga
 * uses the @whatwg-node ponyfill. The shadow differs from the ponyfill, as
 * Node's Request does, so the adapter decides exactly as it would have.
 */
function withoutUndici<T>(build: () => T): T {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'Request');
  if (!own?.get || !own.configurable) return build(); // already loaded, or not Node's lazy getter
  Object.defineProperty(globalThis, 'Request', { value: class Request {}, configurable: true, writable: true });
  try {
    return build();
  } finally {
    Object.defineProperty(globalThis, 'Request', own);
  }
}

/**
 * yoga's error masking, except for the tool's own errors: a DaemonError (or a
 * GraphQLError a resolver threw with an `extensions.code`) is meant for the
 * user, so its message and code go through. Anything else (a bug, a rejected
 * DOMException) is masked as yoga does by default.
 */
export function keepOwnErrors(error: unknown, message: string, isDev?: boolean): Error {
  const graphql = error instanceof GraphQLError ? error : undefined;
  const original = graphql ? graphql.originalError : error;
  if (original instanceof DaemonError) {
    return new GraphQLError(original.message, { nodes: graphql?.nodes, path: graphql?.path, extensions: { code: original.code } });
  }
  const thrown = original instanceof GraphQLError ? original : graphql && original === undefined ? graphql : undefined;
  if (thrown && typeof thrown.extensions.code === 'string') return thrown;
  return maskError(error, message, isDev);
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
