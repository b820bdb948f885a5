import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import envPaths from 'env-paths';

/** Where one daemon instance keeps its files. */
export interface InstancePaths {
  /** The project the daemon serves (realpath). */
  projectDir: string;
  stateRoot: string;
  /** `<state root>/<project basename>-<8 hex of sha256(projectDir)>`. */
  dir: string;
  metadataFile: string;
  /** The file proper-lockfile locks; never created. Its lock is `lockDir`. */
  lockTarget: string;
  lockDir: string;
  /** Who holds the lock (pid, process start time), written right after taking it. */
  ownerFile: string;
  /** Short-lived lock that serializes starters (and breaking a dead owner's lock). */
  guardTarget: string;
  guardDir: string;
  logFile: string;
}

/** Inputs of the state-root rule; all default to the real process. */
export interface StateRootOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * The state root: `$<NAME>_STATE_DIR`, else `$XDG_STATE_HOME/<name>` (on every
 * platform), else env-paths' per-user place: env-paths 4 has no `state` key;
 * its `log` path is the XDG state dir on Linux, and `data` is used on macOS.
 */
export function stateRoot(options: StateRootOptions): string {
  const env = options.env ?? process.env;
  const own = env[`${envPrefix(options.name)}_STATE_DIR`];
  if (own) return resolve(own);
  if (env.XDG_STATE_HOME) return join(resolve(env.XDG_STATE_HOME), options.name);
  const paths = envPaths(options.name, { suffix: '' });
  return (options.platform ?? process.platform) === 'darwin' ? paths.data : paths.log;
}

/** `tend` -> `TEND`, `my-tool` -> `MY_TOOL`: the prefix of a tool's env vars. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The project: the nearest ancestor of `cwd` holding one of `markers`, else
 * `cwd` itself. Returned as a realpath so symlinked paths share one daemon.
 */
export function findProjectDir(cwd: string, markers: readonly string[]): string {
  const start = realpathSync(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (markers.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** The files of the instance serving `projectDir` under `root`. */
export function instancePaths(root: string, projectDir: string): InstancePaths {
  // Not node:crypto: loading it costs every command ~8 ms, for one short hash.
  const hash = bytesToHex(sha256(utf8ToBytes(projectDir))).slice(0, 8);
  const name = basename(projectDir) || 'root';
  const dir = join(root, `${name}-${hash}`);
  return {
    projectDir,
    stateRoot: root,
    dir,
    metadataFile: join(dir, 'daemon.json'),
    lockTarget: join(dir, 'daemon'),
    lockDir: join(dir, 'daemon.lock'),
    ownerFile: join(dir, 'daemon.owner.json'),
    guardTarget: join(dir, 'start'),
    guardDir: join(dir, 'start.lock'),
    logFile: join(dir, 'daemon.log'),
  };
}
