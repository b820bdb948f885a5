/// <reference lib="dom" />
/** The dashboard's GraphQL client: same-origin requests carrying the session cookie, and subscriptions over SSE. */

/** A refusal of the session itself (401): the daemon restarted with new logins. */
export class SessionError extends Error {
  readonly code = 'SESSION_REFUSED';
}

/** One query or mutation; throws SessionError on 401, Error with the server's message otherwise. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), credentials: 'same-origin' });
  const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  if (res.status === 401) throw new SessionError(body.errors?.[0]?.message ?? 'session refused');
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!res.ok || !body.data) throw new Error(`HTTP ${res.status}`);
  return body.data;
}

/**
 * Runs a subscription (GraphQL over SSE, one connection per subscription)
 * and calls `onData` per event; resolves when the stream ends (the daemon
 * stopped) or `signal` aborts, rejects with SessionError on 401.
 */
export async function subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query, variables }),
    credentials: 'same-origin',
    signal,
  });
  if (res.status === 401) throw new SessionError('session refused');
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        if (/^event: *complete/m.test(event)) return;
        if (!data) continue;
        const payload = JSON.parse(data) as { data?: T; errors?: { message: string }[] };
        if (payload.data) onData(payload.data);
      }
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  }
}
