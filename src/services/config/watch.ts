import * as z from 'zod';
import type { WatchConfig } from '../types.js';
import { DEFAULT_WATCH_DEBOUNCE_MS } from './defaults.js';
import { byShape, duration, signal, strict } from './fields.js';

/** A path or glob relative to the service's cwd. */
function watchPath() {
  return z
    .string()
    .min(1)
    .refine((p) => !p.includes('\0'), 'expected a path without NUL characters');
}

/** `watch:` as a list of paths/globs, one path, or `{ paths, ignore, debounce, signal }`. */
export function watchField() {
  const list = z.array(watchPath()).min(1);
  const asMap = strict({
    paths: byShape<string[]>('a list of paths or globs', (v) => (Array.isArray(v) ? list : typeof v === 'string' ? watchPath().transform((p) => [p]) : undefined)),
    ignore: z.array(watchPath()).default([]),
    debounce: duration().default(DEFAULT_WATCH_DEBOUNCE_MS),
    signal: signal().optional(),
  }).transform((w): WatchConfig => ({ paths: w.paths, ignore: w.ignore, debounceMs: w.debounce, signal: w.signal ?? null }));
  const fromPaths = (paths: string[]): WatchConfig => ({ paths, ignore: [], debounceMs: DEFAULT_WATCH_DEBOUNCE_MS, signal: null });
  return byShape<WatchConfig>('a list of paths or globs, or a mapping { paths, ignore, debounce, signal }', (value) => {
    if (Array.isArray(value)) return list.transform(fromPaths);
    if (typeof value === 'string') return watchPath().transform((p) => fromPaths([p]));
    if (typeof value === 'object' && value !== null) return asMap;
    return undefined;
  });
}
