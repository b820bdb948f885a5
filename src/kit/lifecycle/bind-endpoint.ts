import { DaemonError, toDaemonError } from '../errors.js';
import { listen, type Listening } from '../server/listen.js';

/**
 * Binds the endpoint (requests get 503 until an app is mounted). When the
 * port is taken, the error names who holds it (`holder`), so the user knows
 * what to stop.
 */
export async function bindEndpoint(host: string, port: number, holder: () => string | null | undefined): Promise<Listening> {
  try {
    return await listen(host, port);
  } catch (err) {
    const e = toDaemonError(err, 'START_FAILED');
    const who = e.code === 'PORT_IN_USE' ? holder() : null;
    if (!who) throw e;
    // The holder right after the address, before the next step listen() suggests.
    const message = /^listen EADDRINUSE: address already in use [^;]+/.test(e.message)
      ? e.message.replace(/^(listen EADDRINUSE: address already in use [^;]+)/, `$1: ${who}`)
      : `${e.message}: ${who}`;
    throw new DaemonError(e.code, message, { cause: err });
  }
}
