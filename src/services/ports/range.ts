import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { InputError } from '../../kit/errors.js';

/** Ports `port: auto` leases come from, inclusive. */
export interface PortRange {
  low: number;
  high: number;
}

/**
 * Default lease range: below Linux's ephemeral range (32768-60999), so ports
 * the OS hands out for `port 0` and outgoing connections never land on a lease.
 */
export const DEFAULT_PORT_RANGE: Readonly<PortRange> = { low: 20000, high: 29999 };

/** The lease range from `TEND_PORT_RANGE=LOW-HIGH`, else the default. */
export function portRange(env: NodeJS.ProcessEnv = process.env): PortRange {
  const text = env.TEND_PORT_RANGE;
  if (!text) return { ...DEFAULT_PORT_RANGE };
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  const low = Number(m?.[1]);
  const high = Number(m?.[2]);
  if (!m || low < 1024 || high > 65535 || low > high) {
    throw new InputError(`TEND_PORT_RANGE must be LOW-HIGH with 1024 <= LOW <= HIGH <= 65535, not ${JSON.stringify(text)}`);
  }
  return { low, high };
}

/**
 * Where the search for a service's lease starts: a hash of project and
 * service, so a lost registry gives the same ports back and projects spread
 * over the range instead of all racing for its first port.
 */
export function preferredPort(projectDir: string, service: string, range: PortRange): number {
  const digest = sha256(utf8ToBytes(`${projectDir}\0${service}`));
  const size = range.high - range.low + 1;
  return range.low + (new DataView(digest.buffer, digest.byteOffset).getUint32(0) % size);
}
