import { statSync } from 'node:fs';
import { Repeater } from 'graphql-yoga';
import { followFile } from '../kit/log/follow.js';
import { readLastLines } from '../services/log/tail-lines.js';
import type { ServiceLogLine } from './log-shape.js';

/** Most old lines a subscriber may ask for. */
export const MAX_TAIL_LINES = 10_000;

/**
 * Streams `file`: the last `tail` lines, then new whole lines as the file
 * grows, until the subscriber leaves or `signal` (daemon shutdown) aborts.
 */
export function serviceLogStream(service: string, file: string, tail: number, signal: AbortSignal): Repeater<ServiceLogLine> {
  return new Repeater<ServiceLogLine>(async (push, stop) => {
    const done = new AbortController();
    const end = () => void stop();
    signal.addEventListener('abort', end, { once: true });
    const size = sizeOf(file);
    for (const line of readLastLines(file, Math.min(Math.max(tail, 0), MAX_TAIL_LINES), 1, size)) await push({ service, line, at: null });
    let partial = '';
    const following = followFile(
      file,
      (text) => {
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        const at = new Date().toISOString();
        for (const line of parts) void push({ service, line, at });
      },
      { from: size, signal: done.signal },
    );
    await stop;
    done.abort();
    await following;
    signal.removeEventListener('abort', end);
  });
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
