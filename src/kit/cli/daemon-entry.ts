import { envPrefix } from '../paths.js';

/** The hidden first argument that puts the program in daemon mode. */
export const DAEMON_COMMAND = '__daemon';

/** Name of the private env marker that tells a child it is the daemon. */
export function markerName(name: string): string {
  return `__${envPrefix(name)}_DAEMON`;
}

/** The daemon's environment: ours plus the marker (the daemon removes it before spawning anything). */
export function daemonEnv(name: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [markerName(name)]: '1' };
}

/**
 * Node arguments that run this same program in daemon mode; execArgv is kept
 * so `node --import tsx src/cli.ts` works in development.
 */
export function daemonArgs(projectDir: string, flags: { host: string; port: number }): string[] {
  const entry = process.argv[1] ?? '';
  return [...process.execArgv, entry, DAEMON_COMMAND, '--dir', projectDir, '--host', flags.host, '--port', String(flags.port)];
}
