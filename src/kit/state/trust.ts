import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { DaemonError, isErrno } from '../errors.js';
import { envPrefix } from './paths.js';

/** Options of the trust checks. */
export interface TrustOptions {
  /** The tool's name, for the `<NAME>_STATE_DIR` hint in messages. */
  name?: string;
  /** The uid that must own the state; default: this process's. */
  uid?: number;
}

/** A state dir or file another user could have planted or could change; `message` says the fix. */
export class UnsafeStateError extends DaemonError {
  override readonly name = 'UnsafeStateError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('STATE_UNSAFE', message, { cause: options.cause });
  }
}

/**
 * The one check before anything under the state root is trusted: from the
 * state root down to `target`, every component is a real directory (or, for
 * `target`, a file) owned by you, not a symlink, not writable by group or
 * others; above the root, a world-writable dir must be sticky (like /tmp).
 * 'missing' when a component does not exist yet: nothing is there to trust.
 * Throws UnsafeStateError naming the fix.
 */
export function checkTrusted(stateRoot: string, target: string, options: TrustOptions = {}): 'ok' | 'missing' {
  const uid = options.uid ?? process.getuid?.();
  // Without uids (Windows) there is no other user to guard against here.
  if (uid === undefined) return 'ok';
  const env = `${envPrefix(options.name ?? 'tend')}_STATE_DIR`;
  const rel = relative(stateRoot, target);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UnsafeStateError(`${target} is not under the state root ${stateRoot}`);
  const first = lstatOrNull(stateRoot);
  if (!first) return 'missing';
  checkAncestors(stateRoot, env);
  let path = stateRoot;
  let st: Stats | null = first;
  const parts = rel === '' ? [] : rel.split(sep);
  for (let i = 0; ; i++) {
    const last = i === parts.length;
    checkOwn(path, st, uid, env, last);
    if (last) return 'ok';
    path = `${path}${sep}${parts[i]}`;
    st = lstatOrNull(path);
    if (!st) return 'missing';
  }
}

/** The fstat of an opened state file: a regular file of yours, not writable by others; else throws. */
export function checkTrustedFile(file: string, st: Stats, options: TrustOptions = {}): void {
  const uid = options.uid ?? process.getuid?.();
  if (!st.isFile()) throw new UnsafeStateError(`${file} is not a regular file; remove it`);
  if (uid !== undefined && st.uid !== uid) {
    throw new UnsafeStateError(`${file} belongs to uid ${st.uid}, not you (uid ${uid}); remove it`);
  }
  if (st.mode & 0o022) throw new UnsafeStateError(`${file} is writable by others; fix it with: chmod go-w ${file}`);
}

function checkOwn(path: string, st: Stats, uid: number, env: string, last: boolean): void {
  const what = last && !st.isDirectory() ? 'the state file' : 'the state dir';
  if (st.isSymbolicLink()) {
    throw new UnsafeStateError(`${what} ${path} is a symbolic link; remove it (a real directory is made in its place), or set ${env} to a real directory`);
  }
  if (!last && !st.isDirectory()) throw new UnsafeStateError(`${what} ${path} is not a directory; remove it`);
  if (st.uid !== uid) {
    throw new UnsafeStateError(`${what} ${path} belongs to uid ${st.uid}, not you (uid ${uid}); remove it or set ${env} to a directory of your own`);
  }
  if (st.mode & 0o022) throw new UnsafeStateError(`${what} ${path} is writable by others; fix it with: chmod go-w ${path}`);
}

// Whoever can write to an ancestor can move the state root away and put a dir
// in its place; one of theirs is then refused (it is not ours), so only a
// world-writable ancestor without the sticky bit (a broken /tmp) is refused
// here. Owners and group bits above the root are left alone: a group-writable
// home (user private groups) is common and not a way in.
function checkAncestors(stateRoot: string, env: string): void {
  let dir: string;
  try {
    dir = realpathSync(dirname(stateRoot));
  } catch (err) {
    throw new UnsafeStateError(`resolving ${dirname(stateRoot)}: ${(err as Error).message}`, { cause: err });
  }
  for (;;) {
    const st = lstatSync(dir);
    if (st.mode & 0o002 && !(st.mode & 0o1000)) {
      throw new UnsafeStateError(`${dir}, above the state dir, is writable by everyone and not sticky; fix it with: chmod +t ${dir}, or set ${env} elsewhere`);
    }
    if (dirname(dir) === dir) return;
    dir = dirname(dir);
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR')) return null;
    throw new UnsafeStateError(`checking ${path}: ${(err as Error).message}`, { cause: err });
  }
}
