import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../kit/errors.js';
import type { ProjectConfig } from '../types.js';
import { parseProcfile } from './procfile.js';
import { parseYamlConfig } from './yaml.js';

/** Configuration files looked for in a project dir, most preferred first. */
export const CONFIG_FILE_NAMES = ['tend.yaml', 'tend.yml', 'Procfile'] as const;

/** Which parser a configuration file needs. */
export type ConfigFileKind = 'yaml' | 'procfile';

/** The configuration file of `dir` (that dir only, no walking up), or null when it has none. */
export function findConfigFile(dir: string): { file: string; kind: ConfigFileKind } | null {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.resolve(dir, name);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      return { file, kind: name === 'Procfile' ? 'procfile' : 'yaml' };
    }
  }
  return null;
}

/**
 * Reads and validates the project's configuration. No file is a valid answer
 * (no services); a bad file throws `ConfigError` with every problem found.
 */
export function loadProjectConfig(projectDir: string): ProjectConfig {
  const found = findConfigFile(projectDir);
  if (!found) return { file: null, kind: 'none', services: [], daemon: {} };
  let text: string;
  try {
    text = fs.readFileSync(found.file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new InputError(`reading ${found.file}: ${(err as Error).message}`, { cause: err, code: 'CONFIG_INVALID' });
  }
  return found.kind === 'yaml' ? parseYamlConfig(text, found.file, projectDir) : parseProcfile(text, found.file, projectDir);
}
