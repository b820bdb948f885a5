// TCP ports for tests: one the OS just picked and released, or one held open
// until teardown. Daemons under test always bind port 0 themselves.
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';

/** A port that was free a moment ago (the OS picked it); for a service whose probe needs a known port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port held open on 127.0.0.1 until the test's teardown (to provoke EADDRINUSE). */
export async function occupiedPort(t: TestContext): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return port;
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
