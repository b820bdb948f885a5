import * as z from 'zod';
import type { RestartPolicy, RestartTuning } from '../types.js';
import { DEFAULT_RESTART_MAP_POLICY } from './defaults.js';
import { byShape, duration, fail, strict } from './fields.js';

/** A restart policy and, from the map form, its tuning. */
export interface ParsedRestart {
  policy: RestartPolicy;
  tuning: RestartTuning | null;
}

/** `restart:` as a policy name, or `{ policy, max_restarts, backoff, max_backoff, reset_after }`. */
export function restartField() {
  const policy = z.enum(['no', 'on-failure', 'always']);
  // YAML 1.1 readers turn a bare `no` into false; accept that spelling too.
  const policyValue = z.preprocess((v) => (v === false ? 'no' : v), policy);
  const asMap = strict({
    policy: policyValue.default(DEFAULT_RESTART_MAP_POLICY),
    max_restarts: z.number().int().min(0).optional(),
    backoff: duration({ positive: true }).optional(),
    max_backoff: duration({ positive: true }).optional(),
    reset_after: duration({ positive: true }).optional(),
  }).transform((r, ctx): ParsedRestart => {
    if (r.backoff !== undefined && r.max_backoff !== undefined && r.max_backoff < r.backoff) {
      return fail(ctx, `expected max_backoff to be at least backoff (${r.backoff} ms), got ${r.max_backoff} ms`, ['max_backoff']);
    }
    const tuning: RestartTuning = {
      maxRestarts: r.max_restarts ?? null,
      backoffMs: r.backoff ?? null,
      maxBackoffMs: r.max_backoff ?? null,
      resetAfterMs: r.reset_after ?? null,
    };
    return { policy: r.policy, tuning };
  });
  return byShape<ParsedRestart>('no, on-failure, always, or a mapping { policy, max_restarts, backoff, max_backoff, reset_after }', (value) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return asMap;
    if (typeof value === 'string' || typeof value === 'boolean') return policyValue.transform((p): ParsedRestart => ({ policy: p, tuning: null }));
    return undefined;
  });
}
