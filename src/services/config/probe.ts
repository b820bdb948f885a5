import * as z from 'zod';
import type { ReadyProbe } from '../types.js';
import { DEFAULT_PROBE_TIMING } from './defaults.js';
import { command, duration, fail, httpUrl, regex, strict, tcpTarget } from './fields.js';

const PROBE_KINDS = ['http', 'tcp', 'log', 'command'] as const;

/** The `ready:` mapping: exactly one probe kind plus optional timing. */
export function readyProbe() {
  const timing = DEFAULT_PROBE_TIMING;
  return strict({
    http: httpUrl().optional(),
    tcp: tcpTarget().optional(),
    log: regex().optional(),
    command: command().optional(),
    interval: duration({ positive: true }).default(timing.intervalMs),
    timeout: duration({ positive: true }).default(timing.timeoutMs),
    retries: z.number().int().min(0).default(timing.retries),
    initial_delay: duration().default(timing.initialDelayMs),
  }).transform((ready, ctx): ReadyProbe => {
    const kinds = PROBE_KINDS.filter((kind) => ready[kind] !== undefined);
    const expected = 'exactly one probe kind (http, tcp, log or command)';
    if (kinds.length === 0) return fail(ctx, `expected ${expected}, got none`);
    if (kinds.length > 1) return fail(ctx, `expected ${expected}, got ${kinds.join(' and ')}`, [kinds[1]!]);
    const common = {
      intervalMs: ready.interval,
      timeoutMs: ready.timeout,
      retries: ready.retries,
      initialDelayMs: ready.initial_delay,
    };
    if (ready.http !== undefined) return { kind: 'http', url: ready.http, ...common };
    if (ready.tcp !== undefined) return { kind: 'tcp', ...ready.tcp, ...common };
    if (ready.log !== undefined) return { kind: 'log', pattern: ready.log, ...common };
    return { kind: 'command', command: ready.command!, ...common };
  });
}
