import { timingSafeEqual } from 'node:crypto';

/** Why a request is refused, as an HTTP status and a message; null to let it through. */
export type GuardVerdict = { status: number; message: string } | null;

/** Who a request that passed the guard is: a token holder (the CLI) or a dashboard session (a browser). */
export type Access = { ok: true; via: 'token' | 'session' } | { ok: false; status: number; message: string };

/** The dashboard's side of the guard: which cookie names a session, and whether one is valid. */
export interface GuardSessions {
  cookieName: string;
  valid: (session: string | undefined) => boolean;
}

/** What the guard checks against. */
export interface GuardOptions {
  token: string;
  /** Host header values that name this daemon (`127.0.0.1:PORT`, `localhost:PORT`…). */
  allowedHosts: () => ReadonlySet<string>;
  /** Dashboard sessions; without them every browser is refused. */
  sessions?: GuardSessions;
}

/**
 * Refuses a request unless it names this daemon in its Host header (a
 * DNS-rebinding page sends its own host name) and either carries the bearer
 * token and no Origin (tend's clients never send one), or a dashboard session
 * cookie from this daemon's own origin (see `authorize`).
 */
export function checkRequest(headers: Headers, options: GuardOptions, method = 'GET'): GuardVerdict {
  const access = authorize(headers, options, method);
  return access.ok ? null : { status: access.status, message: access.message };
}

/**
 * The one place that decides who may use the endpoint. A session cookie
 * counts only from this daemon's own origin: any Origin must be ours, a POST
 * must carry it (browsers always send it on POST), and a browser's
 * Sec-Fetch-Site must say same-origin (or none: typed, or opened by `tend
 * ui`), so a page on another port of this host (same *site*, so the
 * SameSite=Strict cookie goes along) can neither read nor mutate.
 */
export function authorize(headers: Headers, options: GuardOptions, method = 'GET'): Access {
  const hostRefused = hostRefusal(headers, options);
  if (hostRefused) return { ok: false, status: 403, message: hostRefused };
  const host = headers.get('host')!;
  const auth = headers.get('authorization');
  const session = options.sessions && !auth ? readCookie(headers.get('cookie'), options.sessions.cookieName) : undefined;
  if (session !== undefined && options.sessions) {
    const refusal = sameOriginRefusal(headers, host, method);
    if (refusal) return { ok: false, status: 403, message: refusal };
    if (!options.sessions.valid(session)) {
      return { ok: false, status: 401, message: 'this dashboard session is not valid (the daemon restarted?): run `tend ui` again' };
    }
    return { ok: true, via: 'session' };
  }
  if (headers.has('origin')) return { ok: false, status: 403, message: 'requests from browsers (with an Origin header) are refused' };
  const match = /^Bearer (.+)$/.exec(auth ?? '');
  if (!match?.[1] || !tokenMatches(match[1], options.token)) {
    return { ok: false, status: 401, message: 'missing or wrong bearer token (it is in daemon.json)' };
  }
  return { ok: true, via: 'token' };
}

/** Why the Host header does not name this daemon, or null when it does. */
export function hostRefusal(headers: Headers, options: Pick<GuardOptions, 'allowedHosts'>): string | null {
  const host = headers.get('host');
  return host && options.allowedHosts().has(host.toLowerCase()) ? null : `Host "${host ?? ''}" is not this daemon's address`;
}

/** Why a browser request is not from this daemon's own page, or null when it is. */
export function sameOriginRefusal(headers: Headers, host: string, method: string): string | null {
  const origin = headers.get('origin');
  if (origin !== null && origin.toLowerCase() !== `http://${host.toLowerCase()}`) return `requests from another origin (${origin}) are refused`;
  if (origin === null && method !== 'GET' && method !== 'HEAD') return `a ${method} from the dashboard must carry its Origin`;
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return `requests from another site (${site}) are refused`;
  return null;
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Compares in constant time. A token of another length is refused at once:
 * that says nothing secret, since every token has the same, public length (a
 * base64url of 32 random bytes); hashing both sides first to hide lengths cost
 * ~3 µs of every request.
 */
export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = expectedBytes(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// The daemon's token never changes: its bytes are made once, not per request.
let lastExpected: { token: string; bytes: Buffer } | undefined;
function expectedBytes(token: string): Buffer {
  if (lastExpected?.token !== token) lastExpected = { token, bytes: Buffer.from(token, 'utf8') };
  return lastExpected.bytes;
}

/** The Host header values under which a daemon bound to host:port may be addressed. */
export function hostsFor(host: string, port: number): Set<string> {
  const names = new Set<string>();
  const bracket = host.includes(':') ? `[${host}]` : host;
  names.add(`${bracket}:${port}`.toLowerCase());
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') {
    names.add(`localhost:${port}`);
    names.add(`127.0.0.1:${port}`);
    names.add(`[::1]:${port}`);
  }
  return names;
}
