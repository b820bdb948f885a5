import * as z from 'zod';
import type { LiveProbe, ProbeTiming, ReadyProbe } from '../types.js';
import { DEFAULT_LIVE_FAILURES, DEFAULT_LIVE_TIMING, DEFAULT_PROBE_TIMING } from './defaults.js';
import { command, duration, fail, httpUrl, regex, strict, tcpTarget } from './fields.js';

const PROBE_KINDS = ['http', 'tcp', 'log', 'command'] as const;

/** The probe kinds, each optional; exactly one is checked for afterwards. */
function kindFields() {
  return {
    http: httpUrl().optional(),
    tcp: tcpTarget().optional(),
    log: regex().optional(),
    command: command().optional(),
  };
}

type Kinds = z.output<z.ZodObject<ReturnType<typeof kindFields>>>;

/** Exactly one probe kind out of `fields`, with `timing`; reports none or several at the mapping. */
function pickKind(fields: Kinds, timing: ProbeTiming, ctx: z.core.$RefinementCtx): ReadyProbe {
  const kinds = PROBE_KINDS.filter((kind) => fields[kind] !== undefined);
  const expected = 'exactly one probe kind (http, tcp, log or command)';
  if (kinds.length === 0) return fail(ctx, `expected ${expected}, got none`);
  if (kinds.length > 1) return fail(ctx, `expected ${expected}, got ${kinds.join(' and ')}`, [kinds[1]!]);
  if (fields.http !== undefined) return { kind: 'http', url: fields.http, ...timing };
  if (fields.tcp !== undefined) return { kind: 'tcp', ...fields.tcp, ...timing };
  if (fields.log !== undefined) return { kind: 'log', pattern: fields.log, ...timing };
  return { kind: 'command', command: fields.command!, ...timing };
}

// The timing keys `ready` and `live` share, with their defaults.
function timingFields(timing: Readonly<ProbeTiming>) {
  return {
    interval: duration({ positive: true }).default(timing.intervalMs),
    timeout: duration({ positive: true }).default(timing.timeoutMs),
  };
}

/** The `ready:` mapping: exactly one probe kind plus optional timing. */
export function readyProbe() {
  const timing = DEFAULT_PROBE_TIMING;
  return strict({
    ...kindFields(),
    ...timingFields(timing),
    retries: z.number().int().min(0).default(timing.retries),
    initial_delay: duration().default(timing.initialDelayMs),
  }).transform((ready, ctx): ReadyProbe =>
    pickKind(ready, { intervalMs: ready.interval, timeoutMs: ready.timeout, retries: ready.retries, initialDelayMs: ready.initial_delay }, ctx),
  );
}

/** The `live:` mapping: a probe kind as in `ready`, its timing, and `failures` in a row that restart the service. */
export function liveProbe() {
  return strict({
    ...kindFields(),
    ...timingFields(DEFAULT_LIVE_TIMING),
    initial_delay: duration().default(DEFAULT_LIVE_TIMING.initialDelayMs),
    failures: z.number().int().min(1).default(DEFAULT_LIVE_FAILURES),
  }).transform((live, ctx): LiveProbe => {
    const probe = pickKind(live, { intervalMs: live.interval, timeoutMs: live.timeout, retries: 0, initialDelayMs: live.initial_delay }, ctx);
    return { ...probe, failures: live.failures };
  });
}
