import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import envPaths from 'env-paths';
import { InputError } from '../errors.js';

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
  /** Where the services' own files live: `<dir>/services`. */
  servicesDir: string;
  /** A service's log, `services/<name>.log` (rotated copies add `.1`, `.2`…). */
  serviceLog: (name: string) => string;
  /** The live service processes (pid, group, start time): `services.json`. */
  servicesFile: string;
}

/** Inputs of the state-root rule; all default to the real process. */
export interface StateRootOptions {
  name: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * The state root: `$<NAME>_STATE_DIR`, else `$XDG_STATE_HOME/<name>` (on every
 * platform), else the per-user place: `~/.local/state/<name>` on Linux (what
 * env-paths 4's `log` gives; it has no `state` key), env-paths' `data` on
 * macOS. A relative `<NAME>_STATE_DIR` is refused: resolved against the cwd,
 * one project would get a daemon per directory it is started from. A
 * relative `XDG_STATE_HOME` is ignored, as the XDG spec says.
 */
export function stateRoot(options: StateRootOptions): string {
  const env = options.env ?? process.env;
  const variable = `${envPrefix(options.name)}_STATE_DIR`;
  const own = env[variable];
  if (own) {
    if (!isAbsolute(own)) throw new InputError(`${variable} must be an absolute path, got ${JSON.stringify(own)}`);
    return own;
  }
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, options.name);
  const platform = options.platform ?? process.platform;
  // env-paths reads process.env itself (a relative XDG_STATE_HOME included).
  const root = platform === 'darwin' ? envPaths(options.name, { suffix: '' }).data
    : platform === 'win32' ? envPaths(options.name, { suffix: '' }).log
    : join(env.HOME || homedir(), '.local', 'state', options.name);
  if (!isAbsolute(root)) throw new InputError(`no state dir: the home dir ${JSON.stringify(root)} is not absolute; set ${variable} to an absolute path`);
  return root;
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
    ...serviceFiles(dir),
  };
}

/** The services' files under an instance dir (the part of InstancePaths a supervisor needs). */
export function serviceFiles(dir: string): Pick<InstancePaths, 'servicesDir' | 'serviceLog' | 'servicesFile'> {
  const servicesDir = join(dir, 'services');
  return {
    servicesDir,
    serviceLog: (name) => {
      // Names are checked by the config; this keeps a name typed on the command line inside the dir.
      if (name === '' || /[/\\\0]/.test(name) || name.startsWith('.')) throw new InputError(`invalid service name ${JSON.stringify(name)}`);
      return join(servicesDir, `${name}.log`);
    },
    servicesFile: join(dir, 'services.json'),
  };
}
