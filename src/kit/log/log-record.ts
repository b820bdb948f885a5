/**
 * What the log readers work on: one line with its time. A tool's log format
 * is a parser from a stored line to a record; a line the parser does not
 * know (a stack trace, a line from an older format) has no time of its own
 * and takes the time of the line before it.
 */

/** One line of a log. */
export interface LogRecord {
  /** Milliseconds since the epoch. */
  time: number;
  /** What the line says, without its stamp. */
  text: string;
  /** The format's own kind of line (`daemon`, `stdout`, `start`…). */
  kind: string;
  /** A service's run, where the format records one. */
  run?: number;
}

/** Parses a stored line; null when it carries no time of its own. `previous` lets it reuse work. */
export type RecordParser<R extends LogRecord> = (line: string, previous?: R) => R | null;

/** A log format: its parser, and the record of a line it cannot parse (given the time it inherits). */
export interface LogFormat<R extends LogRecord> {
  parse: RecordParser<R>;
  untimed: (line: string, time: number, previous?: R) => R;
}

const DAEMON_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) /;

/** The daemon log's format: `<RFC 3339 time with ms> <message>`; other lines (a crash's stack) continue the one before. */
export const DAEMON_LOG_FORMAT: LogFormat<LogRecord> = {
  parse(line) {
    const m = DAEMON_TIME.exec(line);
    if (m === null) return null;
    const time = Date.parse(m[1]!);
    return Number.isNaN(time) ? null : { time, text: line.slice(m[0].length), kind: 'daemon' };
  },
  untimed: (line, time) => ({ time, text: line, kind: 'daemon' }),
};
