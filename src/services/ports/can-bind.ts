import { createServer } from 'node:net';

/**
 * True when nobody holds `port`: a listen on `::` (dual stack) fails while any
 * socket, IPv4 or IPv6, on any address, holds it; `0.0.0.0` where IPv6 is off.
 * The socket is closed again at once; SO_REUSEADDR means TIME_WAIT does not count.
 */
export async function canBind(port: number, options: { signal?: AbortSignal } = {}): Promise<boolean> {
  const first = await tryListen(port, '::', options.signal);
  if (first === 'ok') return true;
  if (first === 'EAFNOSUPPORT' || first === 'EADDRNOTAVAIL') return (await tryListen(port, '0.0.0.0', options.signal)) === 'ok';
  return false;
}

function tryListen(port: number, host: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve('ABORTED');
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'ERROR'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('ok')));
  });
}
