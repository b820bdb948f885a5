import { createHash } from 'node:crypto';
import { authorize, hostRefusal, type GuardOptions } from './guard.js';
import type { UiSessions } from './ui-session.js';

/** A dashboard built with the tool: its page and its content-hashed assets, served from memory. */
export interface UiBundle {
  /** The page (it names its assets by their hashed paths). */
  html: string;
  /** Assets by URL path, e.g. `/ui/app-1a2b3c4d.js`. */
  assets: Record<string, { body: string; type: string }>;
}

/** What the dashboard routes need. */
export interface UiRouteOptions extends GuardOptions {
  bundle: UiBundle;
  logins: UiSessions;
  cookieName: string;
  /** The Response class of the server's fetch API. */
  Response: typeof Response;
  /** What a refused login page tells the user to run. */
  command: string;
}

// No inline script or style, nothing from elsewhere, never in a frame.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Answers the dashboard's paths (`/`, `/ui/login`, `/ui/…` assets); null for
 * anything else (GraphQL's). The login is the only path without a session:
 * it turns a one-time code into the session cookie and redirects to `/`.
 */
export function uiResponse(request: Request, options: UiRouteOptions): Response | null {
  const url = new URL(request.url);
  const path = url.pathname;
  if (path === '/graphql') return null;
  const { Response: R } = options;
  if (request.method !== 'GET' && request.method !== 'HEAD') return page(R, 405, 'Method not allowed', 'The dashboard only serves pages.');
  if (path === '/ui/login') return login(url, request.headers, options);
  const asset = options.bundle.assets[path];
  if (path !== '/' && !asset) return page(R, 404, 'Not found', `Nothing at ${path}.`);
  const access = authorize(request.headers, options, request.method);
  if (!access.ok || access.via !== 'session') {
    const status = access.ok ? 401 : access.status;
    return page(R, status, 'Log in with tend ui', `${access.ok ? 'No dashboard session.' : access.message}. Run \`${options.command}\` in the project to open the dashboard with a new login link.`);
  }
  if (!asset) return new R(options.bundle.html, { headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
  const etag = `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 16)}"`;
  const headers = { 'content-type': asset.type, 'cache-control': 'private, max-age=31536000, immutable', etag, 'x-content-type-options': 'nosniff' };
  if (request.headers.get('if-none-match') === etag) return new R(null, { status: 304, headers });
  return new R(asset.body, { headers });
}

function login(url: URL, headers: Headers, options: UiRouteOptions): Response {
  const { Response: R } = options;
  const refused = hostRefusal(headers, options);
  if (refused) return page(R, 403, 'Refused', refused);
  const result = options.logins.redeem(url.searchParams.get('code') ?? '');
  if (!result.ok) {
    const why = { unknown: 'This login link is not valid', used: 'This login link was already used', expired: 'This login link has expired (links work for 60 seconds)' }[result.reason];
    return page(R, 403, 'Login link refused', `${why}. Run \`${options.command}\` in the project for a new one.`);
  }
  return new R(null, {
    status: 303,
    headers: {
      ...PAGE_HEADERS,
      location: '/',
      'cache-control': 'no-store',
      'set-cookie': `${options.cookieName}=${result.session}; HttpOnly; SameSite=Strict; Path=/`,
    },
  });
}

function page(R: typeof Response, status: number, title: string, text: string): Response {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(text)}</p></main></body></html>`;
  return new R(body, { status, headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

/** Text made safe to put in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
