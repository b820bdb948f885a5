import fs from 'node:fs';
import path from 'node:path';
import type { ProjectConfig } from '../types.js';
import { fingerprint, type ConfigSource } from './fingerprint.js';
import { parseProcfile } from './procfile.js';
import { readConfigInput } from './read-input.js';
import { parseYamlConfig } from './yaml.js';

/** Configuration files looked for in a project dir, most preferred first. */
export const CONFIG_FILE_NAMES = ['tend.yaml', 'tend.yml', 'Procfile'] as const;

/** Which parser a configuration file needs. */
export type ConfigFileKind = 'yaml' | 'procfile';

/** The configuration file of `dir` (that dir only, no walking up), or null when it has none. */
export function findConfigFile(dir: string): { file: string; kind: ConfigFileKind } | null {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.resolve(dir, name);
    // A FIFO or a device counts (readConfigInput then says what is wrong with it); a directory does not.
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) {
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
  return loadConfigWithSource(projectDir).config;
}

/** loadProjectConfig, with which file it read and the sha256 of the very text parsed (see fingerprint.ts). */
export function loadConfigWithSource(projectDir: string): { config: ProjectConfig; source: ConfigSource } {
  const found = findConfigFile(projectDir);
  if (!found) return { config: { file: null, kind: 'none', services: [], daemon: {} }, source: { file: null, sha256: null } };
  const text = readConfigInput(found.file, 'the config file');
  const config = found.kind === 'yaml' ? parseYamlConfig(text, found.file, projectDir) : parseProcfile(text, found.file, projectDir);
  return { config, source: { file: found.file, sha256: fingerprint(text) } };
}
