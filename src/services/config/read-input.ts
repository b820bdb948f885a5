import fs from 'node:fs';
import { DaemonError } from '../../kit/errors.js';

/** The most a configuration input (tend.yaml, Procfile, env_file, .env) may hold. */
export const MAX_CONFIG_INPUT_BYTES = 1024 * 1024;

/** A configuration input that cannot be used; `reason` completes "FILE …" for a message in context. */
export class ConfigInputError extends DaemonError {
  override readonly name = 'ConfigInputError';
  constructor(
    readonly file: string,
    readonly reason: string,
    what: string,
    options: { cause?: unknown } = {},
  ) {
    super('CONFIG_INVALID', `${what} ${file} ${reason}`, { cause: options.cause });
  }
}

/**
 * Reads a configuration input as text, only when it is a regular file of at
 * most `maxBytes`: a FIFO would block `start` (and the daemon's event loop at
 * reload) forever, and /dev/zero would fill the memory. `what` names the
 * input in the message ("env file", "config file"). A leading BOM is dropped.
 */
export function readConfigInput(file: string, what: string, maxBytes = MAX_CONFIG_INPUT_BYTES): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`;
    throw new ConfigInputError(file, reason, what, { cause: err });
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new ConfigInputError(file, `is ${kindOf(st)}, not a regular file`, what);
    if (st.size > maxBytes) throw new ConfigInputError(file, `is ${st.size} bytes; the limit is ${maxBytes} (${maxBytes / 1024 / 1024} MiB)`, what);
    // Read at most one byte past the cap: the file may grow while we read.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got > maxBytes) throw new ConfigInputError(file, `is over ${maxBytes} bytes (it grew while being read)`, what);
    return buf.subarray(0, got).toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof ConfigInputError) throw err;
    throw new ConfigInputError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, what, { cause: err });
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}
