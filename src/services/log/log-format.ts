/**
 * The on-disk line format of a service log, one stored line per output line:
 *
 *   2026-12-01T10:00:00.123Z 3 O listening on :4100     (stdout of run 3)
 *   2026-12-01T10:00:00.124Z 3 E warning: …             (stderr)
 *   2026-12-01T10:00:00.100Z 3 S pid=4711               (run 3 started)
 *   2026-12-01T10:00:05.002Z 3 X code=1                 (run 3 ended; or signal=SIGKILL)
 *
 * Fixed-width time first (RFC 3339, milliseconds, UTC), so files sort and
 * binary-search by time; the run on every line, so a run's lines are known
 * even when a stray process writes after its exit marker.
 */

/** What a stored line is. */
export type ServiceLineKind = 'stdout' | 'stderr' | 'start' | 'exit';

/** One parsed line of a service log. */
export interface ServiceLine {
  /** Milliseconds since the epoch. */
  time: number;
  /** The time as stored (RFC 3339 with milliseconds). */
  timeText: string;
  run: number;
  kind: ServiceLineKind;
  /** The output line; for markers, the marker's fields (`pid=4711`, `code=1`). */
  text: string;
}

const TAG: Record<ServiceLineKind, string> = { stdout: 'O', stderr: 'E', start: 'S', exit: 'X' };
const KIND: Record<string, ServiceLineKind> = { O: 'stdout', E: 'stderr', S: 'start', X: 'exit' };
const TIME_CHARS = 24;
const TIME_SHAPE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The prefix each line of one run's block gets: `<time> <run> <tag> `. */
export function linePrefix(time: number, run: number, kind: ServiceLineKind): string {
  return `${new Date(time).toISOString()} ${run} ${TAG[kind]} `;
}

/**
 * A block of whole raw lines (each ending in '\n') with `prefix` before each.
 * latin1 maps bytes to code units one to one, so any bytes (UTF-8 or not)
 * survive, and the work is three native passes instead of a copy per line.
 */
export function stampBlock(block: Buffer, prefix: string): Buffer {
  const text = block.toString('latin1');
  const stamped = Buffer.from(prefix + text.replaceAll('\n', `\n${prefix}`), 'latin1');
  return stamped.subarray(0, stamped.length - prefix.length); // the prefix after the final '\n'
}

/** A run marker as stored: `start` with `pid=N`, `exit` with `code=N` or `signal=S` (see exitFields). */
export function markerLine(time: number, run: number, kind: 'start' | 'exit', fields: string): Buffer {
  return Buffer.from(`${linePrefix(time, run, kind)}${fields}\n`);
}

/** The fields of an exit marker: the exit code, or the signal that ended the run. */
export function exitFields(code: number | null, signal: string | null): string {
  return signal !== null ? `signal=${signal}` : `code=${code ?? ''}`;
}

/** Parses one stored line; null for a line not in this format (a log written by an older tend). */
export function parseServiceLine(line: string, previous?: ServiceLine): ServiceLine | null {
  if (line.length < TIME_CHARS + 5 || line[TIME_CHARS] !== ' ') return null;
  const runEnd = line.indexOf(' ', TIME_CHARS + 1);
  if (runEnd < 0 || line[runEnd + 2] !== ' ') return null;
  const kind = KIND[line[runEnd + 1]!];
  const run = Number(line.slice(TIME_CHARS + 1, runEnd));
  if (kind === undefined || !Number.isSafeInteger(run)) return null;
  const timeText = line.slice(0, TIME_CHARS);
  // Lines of one chunk share their time: parse a date only when it changes.
  let time: number;
  if (previous !== undefined && previous.timeText === timeText) time = previous.time;
  else if (!TIME_SHAPE.test(timeText) || Number.isNaN((time = Date.parse(timeText)))) return null;
  return { time, timeText, run, kind, text: line.slice(runEnd + 3) };
}

/** The pid of a start marker, or the code and signal of an exit marker. */
export function markerFields(line: Pick<ServiceLine, 'kind' | 'text'>): { pid?: number; exitCode?: number | null; signal?: string | null } {
  const [key, value = ''] = line.text.split('=', 2);
  if (line.kind === 'start' && key === 'pid') return { pid: Number(value) };
  if (line.kind === 'exit' && key === 'signal') return { exitCode: null, signal: value };
  if (line.kind === 'exit') return { exitCode: value === '' ? null : Number(value), signal: null };
  return {};
}

/** The run number of the last line in `text` (the tail of a log), or 0 when none is found. */
export function lastRunIn(text: string): number {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = parseServiceLine(lines[i]!);
    if (parsed !== null) return parsed.run;
  }
  return 0;
}
