import { spawn, type ChildProcess } from 'node:child_process';

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
