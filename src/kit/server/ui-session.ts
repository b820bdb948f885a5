import { createHash, randomBytes } from 'node:crypto';

/** How long a one-time login code works. */
export const UI_CODE_TTL_MS = 60_000;

/** Why a login code was refused: never issued (or mistyped), already used, or past its 60 s. */
export type CodeRefusal = 'unknown' | 'used' | 'expired';

/** Options of UiSessions. */
export interface UiSessionOptions {
  /** Lifetime of a login code (tests shorten it). */
  codeTtlMs?: number;
  /** The clock, in ms. */
  now?: () => number;
}

/** What redeeming a code gives: a session id for the cookie, or why not. */
export type Redeemed = { ok: true; session: string } | { ok: false; reason: CodeRefusal };

// Remembered after use or expiry so the refusal can say which; bounded so a
// flood of `uiLoginCode` mutations cannot grow the daemon's memory.
const MAX_CODES = 256;
const MAX_SESSIONS = 64;

/**
 * The dashboard's logins, in daemon memory only: a one-time code (issued to a
 * token holder, valid once within the TTL) becomes a random session id, which
 * the browser keeps as an HttpOnly cookie. A daemon restart forgets them all.
 */
export class UiSessions {
  private readonly codes = new Map<string, { expires: number; used: boolean }>();
  private readonly sessions = new Set<string>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: UiSessionOptions = {}) {
    this.ttlMs = options.codeTtlMs ?? UI_CODE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** A new one-time code. */
  issueCode(): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { expires: this.now() + this.ttlMs, used: false });
    trim(this.codes, MAX_CODES);
    return code;
  }

  /** Spends a code: a new session once, then `used`; `expired` after the TTL. */
  redeem(code: string): Redeemed {
    const entry = this.codes.get(code);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.used) return { ok: false, reason: 'used' };
    entry.used = true;
    if (this.now() > entry.expires) return { ok: false, reason: 'expired' };
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(digest(session));
    trim(this.sessions, MAX_SESSIONS);
    return { ok: true, session };
  }

  /** True when `session` is one this daemon handed out. */
  valid(session: string | undefined): boolean {
    // Kept and looked up by digest: a lookup's timing says nothing about the ids.
    return !!session && this.sessions.has(digest(session));
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// Oldest first: Map and Set iterate in insertion order.
function trim(collection: Map<string, unknown> | Set<string>, max: number): void {
  while (collection.size > max) {
    const first = collection.keys().next().value as string;
    collection.delete(first);
  }
}
