import { accessSync, constants, existsSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { DaemonError } from '../errors.js';
import { envPrefix, type InstancePaths } from './paths.js';
import { checkTrusted } from './trust.js';

/**
 * Creates the state root and instance dir (0700) and refuses to use them when
 * another user could plant files there: a symlink, another owner, or group/
 * world write access. The error says how to fix it.
 */
export function ensureInstanceDir(paths: InstancePaths, name = 'tend'): void {
  // Checked before mkdir too: nothing of ours is made inside another user's dir.
  checkTrusted(paths.stateRoot, paths.dir, { name });
  try {
    mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new DaemonError('STATE_UNSAFE', `creating the state dir ${paths.dir}: ${whyNotCreated(paths.dir, err, name)}`, { cause: err });
  }
  if (checkTrusted(paths.stateRoot, paths.dir, { name }) === 'missing') {
    throw new DaemonError('STATE_UNSAFE', `the state dir ${paths.dir} vanished while in use`);
  }
  // The lock dirs are made with mkdir, which does not follow a symlink but
  // fails on one forever: one planted there is removed, never followed.
  for (const lockDir of [paths.lockDir, paths.guardDir]) {
    try {
      if (lstatSync(lockDir).isSymbolicLink()) unlinkSync(lockDir);
    } catch {
      // Absent: the normal case.
    }
  }
}

// A recursive mkdir reports ENOENT when an ancestor is read-only: name the
// ancestor that really refuses, and how.
function whyNotCreated(dir: string, err: unknown, name: string): string {
  let existing = dirname(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (denied) {
    const code = (denied as NodeJS.ErrnoException).code;
    const what = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    return `${existing} ${what} (${code}); set ${envPrefix(name)}_STATE_DIR to a writable place`;
  }
  return (err as Error).message;
}
