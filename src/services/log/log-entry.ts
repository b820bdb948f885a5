/**
 * A log line as `tend logs` and `tend run` show it: a service's output line,
 * a run marker, or a daemon line; printed as text or as one JSON object.
 */
import { markerFields, type ServiceLineKind } from './log-format.js';

/** One line of output to show. */
export interface LogEntry {
  /** The service, or the daemon's name for its own lines. */
  service: string;
  /** True for the daemon's own lines. */
  daemon?: boolean;
  /** Milliseconds since the epoch. */
  time: number;
  kind: ServiceLineKind | 'daemon';
  /** The run of the service, when known. */
  run?: number;
  /** The output line; for markers, their stored fields (`pid=4711`, `code=1`). */
  text: string;
}

/** The line's text as a person reads it: the output itself, or what the marker says. */
export function entryText(entry: LogEntry): string {
  if (entry.kind !== 'start' && entry.kind !== 'exit') return entry.text;
  const fields = markerFields({ kind: entry.kind, text: entry.text });
  const run = entry.run !== undefined ? `run ${entry.run} ` : '';
  if (entry.kind === 'start') return `--- ${run}started (pid ${fields.pid ?? '?'})`;
  return `--- ${run}${fields.signal ? `killed by ${fields.signal}` : `exited with code ${fields.exitCode ?? '?'}`}`;
}

/**
 * The JSON object of one line: `{"service","time","line"}`, plus `"run"` and
 * `"stream"` for a service's output, `"event"` (`start` with `"pid"`, `exit`
 * with `"exitCode"` and `"signal"`) for a run marker, `"daemon": true` for the daemon's lines.
 */
export function entryJson(entry: LogEntry): Record<string, unknown> {
  const base: Record<string, unknown> = { service: entry.service, time: new Date(entry.time).toISOString() };
  if (entry.daemon) base.daemon = true;
  if (entry.run !== undefined) base.run = entry.run;
  if (entry.kind === 'stdout' || entry.kind === 'stderr') base.stream = entry.kind;
  if (entry.kind === 'start' || entry.kind === 'exit') {
    base.event = entry.kind;
    Object.assign(base, markerFields({ kind: entry.kind, text: entry.text }));
  }
  base.line = entryText(entry);
  return base;
}
