// Real terminals (python3's pty module), never a mocked stream: a relay that
// runs a command on a pty, and the scripted terminals in test/fixtures/pty
// (close the terminal once the output matches; press Ctrl-C once or twice).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { outcomeOf } from './child.js';

/** `hangup.py READY TIMEOUT CMD...`: closes the terminal once the output matches READY; prints one JSON line. */
export const PTY_HANGUP = fileURLToPath(new URL('../fixtures/pty/hangup.py', import.meta.url));

/** `ctrl-c.py READY AFTER_FIRST COUNT TIMEOUT_S -- CMD...`: presses Ctrl-C once or twice; prints one JSON line. */
export const PTY_CTRL_C = fileURLToPath(new URL('../fixtures/pty/ctrl-c.py', import.meta.url));

// Runs argv on a real pty (python3's pty module); relays its output to
// stdout, prints the child's pid on stderr first, exits with its exit code.
const RELAY = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(sys.argv[1], sys.argv[1:], os.environ)
sys.stderr.write(str(pid) + "\\n"); sys.stderr.flush()
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    sys.stdout.buffer.write(data); sys.stdout.buffer.flush()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** A command on a real terminal: its output so far, and the pid on the pty (for teardown). */
export interface OnPty {
  relay: ChildProcess;
  output: () => string;
  pid: Promise<number>;
}

/** Spawns `argv` on a pty; `track` is given both the relay's and the command's pids. */
export function spawnOnPty(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv; track: (pid: number) => void }): OnPty {
  const relay = spawn('python3', ['-c', RELAY, ...argv], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (relay.pid) options.track(relay.pid);
  let out = '';
  relay.stdout!.setEncoding('utf8');
  relay.stdout!.on('data', (c: string) => (out += c));
  const pid = new Promise<number>((resolve, reject) => {
    let err = '';
    relay.stderr!.setEncoding('utf8');
    relay.stderr!.on('data', (c: string) => {
      err += c;
      const m = /^(\d+)\n/.exec(err);
      if (m) {
        options.track(Number(m[1]));
        resolve(Number(m[1]));
      }
    });
    relay.once('exit', () => reject(new Error(`pty relay exited: ${err}`)));
  });
  pid.catch(() => {});
  return { relay, output: () => out, pid };
}

/** Runs `argv` on a pty to its end; resolves with what the terminal showed and the exit code. */
export function runOnPty(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv; track: (pid: number) => void }): Promise<{ output: string; code: number | null }> {
  const run = spawnOnPty(argv, options);
  return new Promise((resolve, reject) => {
    run.relay.once('error', reject);
    run.relay.once('close', (code) => resolve({ output: run.output(), code }));
  });
}

/** Where a scripted terminal runs, and how its processes are tracked. */
export interface PtyScriptTarget {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  track: (pid: number) => void;
}

/**
 * Runs one of the scripted terminals (PTY_HANGUP, PTY_CTRL_C) on `argv` and
 * resolves with the JSON line it prints. `leftRunning(result)` says whether
 * the command outlived the script: only then is its pid tracked (once python
 * has reaped it, the number may be anyone's).
 */
export async function runPtyScript<T extends { pid: number }>(
  target: PtyScriptTarget,
  script: string,
  scriptArgs: string[],
  argv: string[],
  leftRunning: (result: T) => boolean,
): Promise<T> {
  const child = spawn('python3', [script, ...scriptArgs, ...argv], { cwd: target.projectDir, env: target.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) target.track(child.pid);
  const { stdout, stderr } = await outcomeOf(child, 10 * 60_000);
  let result: T;
  try {
    result = JSON.parse(stdout.trim().split('\n').pop()!) as T;
  } catch {
    throw new Error(`${script} printed ${JSON.stringify(stdout)} ${stderr ? `(stderr: ${stderr.slice(0, 500)})` : '(is python3 installed?)'}`);
  }
  if (leftRunning(result) && result.pid) target.track(result.pid);
  return result;
}
