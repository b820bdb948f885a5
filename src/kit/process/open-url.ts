import { spawn } from 'node:child_process';

/** Options of openUrl. */
export interface OpenUrlOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** How long to wait for the opener to start. */
  timeoutMs?: number;
}

/** Whether a browser was launched, and if not, why. */
export type OpenResult = { opened: true; command: string } | { opened: false; reason: string };

/** The command that opens a URL in the user's browser here, or why there is none (no display). */
export function browserOpener(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { command: string; args: string[] } | { reason: string } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  // Without a display xdg-open falls back to a text browser (lynx, w3m) in
  // this very terminal, or fails: never launch one there.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { command: 'xdg-open', args: [] };
}

/**
 * Opens `url` in the browser with the platform's opener (xdg-open, open),
 * detached so the browser outlives us; resolves once the opener started or
 * failed to (ENOENT: not installed), or at the deadline.
 */
export function openUrl(url: string, options: OpenUrlOptions = {}): Promise<OpenResult> {
  const opener = browserOpener(options.platform ?? process.platform, options.env ?? process.env);
  if ('reason' in opener) return Promise.resolve({ opened: false, reason: opener.reason });
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, url], { detached: true, stdio: 'ignore', env: options.env ?? process.env, signal: options.signal });
    const timer = setTimeout(() => done({ opened: false, reason: `${opener.command} did not start in time` }), options.timeoutMs ?? 5_000);
    const done = (result: OpenResult) => {
      clearTimeout(timer);
      child.unref();
      resolve(result);
    };
    child.once('spawn', () => done({ opened: true, command: opener.command }));
    child.once('error', (err: NodeJS.ErrnoException) => done({ opened: false, reason: `${opener.command} failed: ${err.code === 'ENOENT' ? 'not installed' : err.message}` }));
  });
}
