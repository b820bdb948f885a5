import type { DaemonDefinition } from './define.js';
import { DaemonError } from './errors.js';
import { isDaemonLaunch } from './lifecycle/daemon-command.js';
import type { CliExtensions } from './cli/spec.js';
import { COMMAND_EXIT_CODES } from './exit-codes.js';

/**
 * The entry of a tool built on the kit: the CLI, or, when re-spawned by
 * `start` with the private marker, the daemon itself. The one error boundary:
 * prints what failed and returns the exit code (the caller sets it).
 */
export async function main(
  def: DaemonDefinition<any>,
  extensions: CliExtensions = {},
  argv: string[] = process.argv.slice(2),
): Promise<number> {
  if (isDaemonLaunch(def.name, argv)) {
    // The daemon's own shutdown path is the one place that exits by itself:
    // whatever a tool left open must not keep a stopped daemon alive.
    const { daemonMode } = await import('./lifecycle/daemon-process.js');
    process.exit(await daemonMode(def, argv.slice(1)));
  }
  const json = argv.includes('--json');
  const name = def.name;
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    // First Ctrl-C: let a waiting command finish cleanly; second: give up,
    // unless the command handles SIGINT itself: `run` (the daemon in the
    // foreground) escalates and still cleans up its children and state.
    if (++interrupts > 1 && process.listenerCount('SIGINT') === 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // `tend logs | head`: the reader is gone, so is the point. A foreground
    // daemon (`run`) guards stdout itself, to stop its services first.
    if (err.code === 'EPIPE' && process.stdout.listenerCount('error') === 1) process.exit(0);
  });
  try {
    const io = { env: process.env, cwd: currentDir(), stdout: process.stdout, stderr: process.stderr };
    if (argv[0] === '__complete') {
      // Before any parsing: the words being completed are not a valid command line.
      const { completionCandidates } = await import('./cli/completion.js');
      const candidates = await completionCandidates(def, extensions, argv.slice(1), io);
      if (candidates.length) process.stdout.write(`${candidates.join('\n')}\n`);
      return 0;
    }
    const { tryFastPath } = await import('./cli/fast-path.js');
    const fast = await tryFastPath(def, extensions, argv, io, controller.signal);
    if (fast !== null) return fast;
    const { runCli } = await import('./cli/program.js');
    return await runCli(def, extensions, argv, io, controller.signal);
  } catch (err) {
    const known = err instanceof DaemonError;
    const message = known ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${name}: ${message}\n`);
    const errno = known ? err.errno : undefined;
    if (json) process.stdout.write(JSON.stringify({ error: { code: known ? err.code : 'INTERNAL', message, ...(errno ? { errno } : {}) } }) + '\n');
    return known ? commandExitCode(extensions, argv, err) : 1;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

// A shell can sit in a directory that was deleted: then there is no cwd, and
// only an absolute --dir says where the project is.
function currentDir(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

// The command's own exit code for this error, when it differs (status: bad input is 64).
function commandExitCode(extensions: CliExtensions, argv: string[], err: DaemonError): number {
  const names = new Set(['start', 'run', 'status', 'stop', 'restart', 'logs', ...(extensions.commands ?? []).map((c) => c.command.split(' ')[0]!)]);
  const command = argv.find((a) => names.has(a));
  return (command === undefined ? undefined : COMMAND_EXIT_CODES[command]?.[err.code]) ?? err.exitCode;
}
