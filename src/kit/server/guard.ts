import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a request is refused, as an HTTP status and a message; null to let it through. */
export type GuardVerdict = { status: number; message: string } | null;

/** What the guard checks against. */
export interface GuardOptions {
  token: string;
  /** Host header values that name this daemon (`127.0.0.1:PORT`, `localhost:PORT`…). */
  allowedHosts: () => ReadonlySet<string>;
}

/**
 * Refuses a request unless it carries the bearer token, names this daemon in
 * its Host header (a DNS-rebinding page sends its own host name) and has no
 * Origin (browsers send one on cross-site requests; tend's clients never do).
 */
export function checkRequest(headers: Headers, options: GuardOptions): GuardVerdict {
  const host = headers.get('host');
  if (!host || !options.allowedHosts().has(host.toLowerCase())) {
    return { status: 403, message: `Host "${host ?? ''}" is not this daemon's address` };
  }
  if (headers.has('origin')) return { status: 403, message: 'requests from browsers (with an Origin header) are refused' };
  const auth = headers.get('authorization') ?? '';
  const match = /^Bearer (.+)$/.exec(auth);
  if (!match?.[1] || !tokenMatches(match[1], options.token)) {
    return { status: 401, message: 'missing or wrong bearer token (it is in daemon.json)' };
  }
  return null;
}

/** Compares in constant time: digests first, so lengths leak nothing either. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), expectedDigest(expected));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

// The daemon's token never changes: its digest is made once, not per request.
let lastExpected: { token: string; digest: Buffer } | undefined;
function expectedDigest(token: string): Buffer {
  if (lastExpected?.token !== token) lastExpected = { token, digest: sha256(token) };
  return lastExpected.digest;
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
