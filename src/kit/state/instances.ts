import { join } from 'node:path';
import { DaemonError } from '../errors.js';
import { dirNames } from './dir-names.js';
import { readMetadata } from './metadata.js';
import { instancePaths, type InstancePaths } from './paths.js';
import { checkTrusted, type TrustOptions } from './trust.js';

/** One instance dir of the state root: a daemon's state, or a dir that is not to be trusted (and why). */
export type InstanceEntry =
  | { kind: 'instance'; paths: InstancePaths }
  | { kind: 'unsafe'; dir: string; reason: string };

// `<project basename>-<8 hex>` (instancePaths): what else the root holds
// (the ports registry, its lock) is no instance.
const INSTANCE_NAME = /-[0-9a-f]{8}$/;

/**
 * Every instance under the state root that has daemon metadata (a running
 * daemon, or the state a dead one left), sorted by project, and every instance
 * dir that fails the trust checks (another user's, writable by others, a
 * symlink) as `unsafe`, with the reason: one bad dir hides no other. A dir
 * is taken only when its name is the one its recorded project maps to, so a
 * copied or hand-made dir is not mistaken for a daemon. Read-only. Throws
 * UnsafeStateError when the state root itself is not to be trusted.
 */
export function listInstances(stateRoot: string, options: TrustOptions = {}): InstanceEntry[] {
  if (checkTrusted(stateRoot, stateRoot, options) === 'missing') return [];
  const found: { key: string; entry: InstanceEntry }[] = [];
  for (const name of dirNames(stateRoot)) {
    if (!INSTANCE_NAME.test(name)) continue;
    const dir = join(stateRoot, name);
    try {
      const read = readMetadata(join(dir, 'daemon.json'));
      if (read.kind !== 'ok') continue;
      const paths = instancePaths(stateRoot, read.metadata.projectDir);
      if (paths.dir === dir) found.push({ key: paths.projectDir, entry: { kind: 'instance', paths } });
    } catch (err) {
      if (!(err instanceof DaemonError && err.code === 'STATE_UNSAFE')) throw err;
      found.push({ key: dir, entry: { kind: 'unsafe', dir, reason: (err as Error).message } });
    }
  }
  return found.sort((a, b) => a.key.localeCompare(b.key)).map((f) => f.entry);
}
