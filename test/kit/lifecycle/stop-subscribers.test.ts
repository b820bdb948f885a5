import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createClient } from 'graphql-sse';
import { makeSandbox } from '../../helpers/sandbox.js';
import { startDaemon } from '../../helpers/kit.js';

const QUERY = 'subscription { status { pid } }';

/** A stock Node `fetch` subscriber: reads the SSE stream to its end, keeping fetch's keep-alive socket. */
async function fetchSubscriber(endpoint: string, token: string, onFirst: () => void): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
  assert.equal(res.status, 200);
  let text = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    text += decoder.decode(next.value, { stream: true });
    if (text.includes('"pid"')) onFirst();
  }
  return text;
}

/** The graphql-sse package's client (distinct connections mode), iterated to its end. */
async function graphqlSseSubscriber(endpoint: string, token: string, onFirst: () => void): Promise<number> {
  const client = createClient({ url: endpoint, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  let results = 0;
  try {
    for await (const result of client.iterate<{ status: { pid: number } }>({ query: QUERY })) {
      assert.ok(result.data?.status.pid);
      results += 1;
      onFirst();
    }
  } finally {
    client.dispose();
  }
  return results;
}

// The daemon's drain deadline is 5 s: a stop that waited on the clients'
// kept-alive sockets would miss stop's 3 s timeout and exit 1.
test('stop with a fetch subscriber and a graphql-sse client connected is not held by their kept-alive sockets', async (t) => {
  const box = makeSandbox(t);
  const daemon = await startDaemon(box);
  const metadata = JSON.parse(readFileSync(box.paths().metadataFile, 'utf8')) as { endpoint: string; token: string };
  let fetchFirst!: () => void;
  let sseFirst!: () => void;
  const connected = Promise.all([new Promise<void>((r) => (fetchFirst = r)), new Promise<void>((r) => (sseFirst = r))]);
  const fetchStream = fetchSubscriber(metadata.endpoint, metadata.token, () => fetchFirst());
  const sseStream = graphqlSseSubscriber(metadata.endpoint, metadata.token, () => sseFirst());
  await connected;

  const stop = await box.cli(['stop', '--timeout', '3']);
  assert.equal(stop.code, 0, stop.stdout + stop.stderr);
  assert.match(await fetchStream, /event: complete/, 'the fetch stream was completed, not cut');
  assert.ok((await sseStream) >= 1, 'graphql-sse got its result and then the end of the stream');
  const status = await box.cli(['status', '--json']);
  assert.equal(status.code, 3, status.stdout);
  assert.equal(JSON.parse(status.stdout).state, 'stopped');
  assert.ok(daemon.pid > 0);
});
