import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readMetadata } from './metadata.js';
import { instancePaths, type InstancePaths } from './paths.js';

/**
 * Every instance under the state root that has daemon metadata (a running
 * daemon, or the state a dead one left), sorted by project. An instance dir
 * is taken only when its name is the one its recorded project maps to, so a
 * copied or hand-made dir is not mistaken for a daemon. Read-only.
 */
export function listInstances(stateRoot: string): InstancePaths[] {
  let names: string[];
  try {
    names = readdirSync(stateRoot);
  } catch {
    return [];
  }
  const found: InstancePaths[] = [];
  for (const name of names) {
    const read = readMetadata(join(stateRoot, name, 'daemon.json'));
    if (read.kind !== 'ok') continue;
    const paths = instancePaths(stateRoot, read.metadata.projectDir);
    if (paths.dir === join(stateRoot, name)) found.push(paths);
  }
  return found.sort((a, b) => a.projectDir.localeCompare(b.projectDir));
}
