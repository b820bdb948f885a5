import { closeSync, fstatSync, writeSync } from 'node:fs';

/** The fd on which a detached daemon reports to the `start` that spawned it. */
export const READY_FD = 3;

/** The one line a daemon writes on the ready pipe. */
export type ReadyMessage =
  | {
      ok: true;
      pid: number;
      endpoint: string;
      instanceId: string;
      /** The daemon's answer to the parent's status query, so `start` prints without a second round trip. */
      data?: Record<string, unknown>;
    }
  | { ok: false; code: string; message: string; pid?: number };

/** The child's end of the ready pipe; a no-op when there is none (foreground). */
export interface ReadyPipe {
  /** Writes the message as one JSON line and closes the pipe. Later calls do nothing. */
  send(message: ReadyMessage): void;
  readonly open: boolean;
}

/**
 * Opens the child's end. fd 3 is trusted only when the parent said so (the
 * private env marker) and it really is a socket: a foreground run may have
 * any fd 3 inherited from a shell, and writing to it would corrupt a file.
 */
export function openReadyPipe(markerSet: boolean, fd = READY_FD): ReadyPipe {
  let open = markerSet && isSocket(fd);
  return {
    get open() {
      return open;
    },
    send(message) {
      if (!open) return;
      open = false;
      try {
        writeSync(fd, JSON.stringify(message) + '\n');
      } catch {
        // EPIPE: the parent is gone (Ctrl-C on start). The daemon still runs
        // and is found through its metadata.
      }
      try {
        closeSync(fd);
      } catch {
        // Already closed.
      }
    },
  };
}

function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

/** Parses the line a daemon wrote; null when it is not a ready message. */
export function parseReadyMessage(line: string): ReadyMessage | null {
  try {
    const v = JSON.parse(line) as Partial<ReadyMessage>;
    if (v.ok === true && typeof v.pid === 'number' && typeof v.endpoint === 'string') {
      if ('data' in v && (typeof v.data !== 'object' || v.data === null)) delete v.data;
      return v as ReadyMessage;
    }
    if (v.ok === false && typeof v.code === 'string' && typeof v.message === 'string') return v as ReadyMessage;
  } catch {
    // Not JSON: reported by the caller as a broken pipe message.
  }
  return null;
}

/**
 * Says why a start failed on the pipe: an already running daemon with its
 * pid, else the errno where there is one (CONTRACT: `"code":"EADDRINUSE"`,
 * which `start` maps back) or the error's code.
 */
export function sendStartFailure(pipe: ReadyPipe, err: { code: string; message: string; pid?: number; errno?: string }): void {
  pipe.send({ ok: false, code: err.errno ?? err.code, message: err.message, ...(err.pid === undefined ? {} : { pid: err.pid }) });
}
