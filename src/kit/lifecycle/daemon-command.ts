import { envPrefix } from '../state/paths.js';

// Its own module: the bin (src/bin.ts) reads these to pick the daemon's bundle.

/** The hidden first argument that puts the program in daemon mode. */
export const DAEMON_COMMAND = '__daemon';

/** Name of the private env marker that tells a child it is the daemon. */
export function markerName(name: string): string {
  return `__${envPrefix(name)}_DAEMON`;
}

/** Whether this process was re-spawned by `start` as the daemon of tool `name` (the argument and the marker). */
export function isDaemonLaunch(name: string, argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): boolean {
  return argv[0] === DAEMON_COMMAND && env[markerName(name)] === '1';
}
