import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { envPrefix } from '../state/paths.js';
import { DAEMON_COMMAND, markerName } from './daemon-command.js';

export { DAEMON_COMMAND, markerName } from './daemon-command.js';


/** The daemon's environment: ours plus the marker (the daemon removes it before spawning anything). */
export function daemonEnv(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [markerName(name)]: '1' };
}

/**
 * V8 flags for a small, long-lived daemon, in its own spawn arguments (never
 * the user's NODE_OPTIONS, which reach the services too). A 1 MiB young
 * generation instead of up to 16 MiB: an idle daemon allocates little, and
 * start-up's bursts otherwise leave the new space grown (idle RSS -1.5 MiB;
 * start and query throughput unchanged within this machine's noise, README
 * › Performance). The CLI's own execArgv comes after, so a flag given there wins.
 */
export const DAEMON_V8_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Node arguments that run this same program in daemon mode; execArgv is kept
 * so `node --import tsx src/cli.ts` works in development.
 */
export function daemonArgs(projectDir: string, flags: { host: string; port: number; file?: string | null; launch?: unknown }): string[] {
  const entry = process.argv[1] ?? '';
  const args = [...DAEMON_V8_FLAGS, ...portableExecArgv(process.execArgv, cwdOr(projectDir)), entry, DAEMON_COMMAND, '--dir', projectDir, '--host', flags.host, '--port', String(flags.port)];
  if (flags.file) args.push('--file', flags.file);
  if (flags.launch !== undefined) args.push('--launch', JSON.stringify(flags.launch));
  return args;
}

// A deleted cwd has no path: resolve from the project instead.
function cwdOr(fallback: string): string {
  try {
    return process.cwd();
  } catch {
    return fallback;
  }
}

const MODULE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The daemon runs in the project dir, not ours: module flags such as
 * `--import tsx` are resolved here first, or the daemon would look for tsx
 * in the project and die before it is ready.
 */
export function portableExecArgv(execArgv: readonly string[], cwd: string): string[] {
  const req = createRequire(join(cwd, 'noop.js'));
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (!MODULE_FLAGS.has(flag)) {
      out.push(arg);
      continue;
    }
    const value = inline ?? execArgv[++i] ?? '';
    out.push(flag, resolveModuleFlag(flag, value, req));
  }
  return out;
}

function resolveModuleFlag(flag: string, value: string, req: NodeJS.Require): string {
  if (isAbsolute(value) || /^[a-z]+:/i.test(value)) return value;
  try {
    const resolved = req.resolve(value);
    return flag === '--require' || flag === '-r' ? resolved : pathToFileURL(resolved).href;
  } catch {
    // An ESM-only package has no require() entry; leave it to Node.
    return value;
  }
}
