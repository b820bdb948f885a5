import type { PortAssigner, PortRequest } from '../types.js';
import { describeValue, type RawIssue } from './messages.js';

/** What `port:` accepts. */
const PORT_HINT = 'expected auto or a port number from 1 to 65535';

/**
 * A service's `port:` value (already interpolated) as a request, or the issue
 * that refuses it. `auto` is a lease; a number is fixed. Strings of digits
 * count as numbers, so `port: ${WEB_PORT:-8080}` works.
 */
export function portRequest(service: string, value: unknown): PortRequest | RawIssue {
  const at = ['services', service, 'port'];
  if (value === 'auto') return { service, kind: 'auto' };
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(number) && number >= 1 && number <= 65535) return { service, kind: 'fixed', port: number };
  return { path: at, at: 'value', message: `${PORT_HINT}, got ${describeValue(value)}` };
}

/**
 * The assigner used when the caller has no registry (validation, completion):
 * fixed and preferred numbers as given, `auto` as `fallback` picks.
 */
export function placeholderPorts(fallback: (service: string) => number): PortAssigner {
  return (requests) => new Map(requests.map((r) => [r.service, r.kind === 'auto' ? fallback(r.service) : r.port]));
}
