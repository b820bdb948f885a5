import { describeHolders, findHolders } from '../services/ports/holder.js';

/** Who holds the port the daemon's endpoint could not bind, or null when nobody visible listens on it. */
export function describeEndpointPort(port: number, stateRoot: string): string | null {
  if (port === 0) return null;
  const { listening, holders } = findHolders(port, stateRoot);
  return listening ? `in use by ${describeHolders(holders)}` : null;
}
