import type { YogaServerInstance } from 'graphql-yoga';

/** Who the query claims to be: the daemon's own address and token, as a client sends them. */
export interface SelfQueryTarget {
  endpoint: string;
  token: string;
}

/**
 * Runs a GraphQL query against the app without a socket, through the same
 * guard and counting as a client's request. Returns its data, or undefined
 * on any error: the caller then lets the client ask over HTTP instead.
 */
export async function selfQuery(
  app: YogaServerInstance<object, object>,
  target: SelfQueryTarget,
  query: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await app.fetch(target.endpoint, {
      method: 'POST',
      headers: {
        host: new URL(target.endpoint).host,
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${target.token}`,
      },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (response.status !== 200 || body.errors?.length || !body.data) return undefined;
    return body.data;
  } catch {
    return undefined;
  }
}
