import { listeningSnapshot, type ListeningSnapshot } from '../../kit/process/port-holder.js';
import type { ServiceConfig } from '../types.js';
import { findHolders, portInUseMessage } from './holder.js';

/**
 * The supervisor's port check, before each spawn and after a failed run:
 * `port 8080 is in use by …` naming the holder, or null when nobody listens
 * on the service's port. Synchronous: /proc only, no bind.
 */
export function portInUseCheck(stateRoot: string): (config: ServiceConfig) => string | null {
  let cached: { snapshot: ListeningSnapshot | null } | null = null;
  return (config) => {
    if (config.port === null || config.port === undefined) return null;
    // Reading /proc/net/tcp can take ~10 ms: the services one pump launches
    // (all in one turn of the event loop) share a read; the next turn reads afresh.
    if (cached === null) {
      cached = { snapshot: listeningSnapshot() };
      setImmediate(() => (cached = null));
    }
    const { listening, holders } = findHolders(config.port, stateRoot, cached.snapshot);
    return listening ? portInUseMessage(config.port, holders) : null;
  };
}
