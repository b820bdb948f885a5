/**
 * Cuts a byte stream into whole lines. Works on bytes: '\n' never occurs
 * inside a UTF-8 sequence, so a line is always decodable on its own.
 */

const NEWLINE = 0x0a;

/** A line longer than this is cut (and ended) rather than held forever. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Turns chunks into blocks of whole lines, holding a partial line until its end arrives. */
export class LineSplitter {
  private partial: Buffer | null = null;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** The whole lines completed by `chunk`, each ending in '\n', or null when none. */
  push(chunk: Buffer): Buffer | null {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.partial = this.partial === null ? chunk : Buffer.concat([this.partial, chunk]);
      // A process that never prints '\n' must not grow memory without bound.
      return this.partial.length >= this.maxLineBytes ? this.end() : null;
    }
    const head = chunk.subarray(0, last + 1);
    const lines = this.partial === null ? head : Buffer.concat([this.partial, head]);
    this.partial = last + 1 < chunk.length ? chunk.subarray(last + 1) : null;
    return lines;
  }

  /** The held partial line ended with '\n' (the stream closed), or null. */
  end(): Buffer | null {
    const rest = this.partial;
    this.partial = null;
    return rest === null ? null : Buffer.concat([rest, Buffer.from('\n')]);
  }
}

/** Decodes a block of whole lines into strings, without their '\n'. */
export function splitLines(block: Buffer): string[] {
  const lines = block.toString('utf8').split('\n');
  lines.pop(); // the empty string after the final '\n'
  return lines;
}
