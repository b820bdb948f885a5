import fs from 'node:fs';
import path from 'node:path';
import { portRange, preferredPort } from '../ports/range.js';
import type { PortAssigner, ProjectConfig } from '../types.js';
import { readProjectDotenv } from './dotenv-file.js';
import { placeholderPorts } from './port-field.js';
import { parseProcfile } from './procfile.js';
import { withProcfileEnv } from './procfile-env.js';
import { readConfigInput } from './read-input.js';
import { parseYamlConfig } from './yaml.js';

/** Configuration files looked for in a project dir, most preferred first. */
export const CONFIG_FILE_NAMES = ['tend.yaml', 'tend.yml', 'Procfile'] as const;

/** Which parser a configuration file needs. */
export type ConfigFileKind = 'yaml' | 'procfile';

/** How a project's configuration is read; every field has a default. */
export interface LoadOptions {
  /** The file named by `--file`/`TEND_FILE` (absolute); default: found in the project dir. */
  file?: string | null;
  /** tend's environment (`${…}`, a Procfile's base `$PORT`); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Assigns ports; default: the numbers asked for, `auto` as its preferred lease (nothing reserved). */
  ports?: PortAssigner;
  /** Active profiles; default none. */
  profiles?: readonly string[];
}

/** The parser a named file needs: `.yaml`/`.yml` are tend.yaml syntax, anything else a Procfile. */
export function configFileKind(file: string): ConfigFileKind {
  return /\.ya?ml$/i.test(file) ? 'yaml' : 'procfile';
}

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
export function loadProjectConfig(projectDir: string, options: LoadOptions = {}): ProjectConfig {
  const found = options.file ? { file: options.file, kind: configFileKind(options.file) } : findConfigFile(projectDir);
  if (!found) return { file: null, kind: 'none', services: [], daemon: {} };
  const text = readConfigInput(found.file, 'the config file');
  const env = options.env ?? process.env;
  const root = path.resolve(projectDir);
  const ports = options.ports ?? placeholderPorts((service) => preferredPort(root, service, portRange(env)));
  const { values: dotenv, problem } = readProjectDotenv(root);
  // A bad .env is reported after the file's own problems: an `env_file: .env` names it with its place.
  const config =
    found.kind === 'yaml'
      ? parseYamlConfig(text, found.file, projectDir, { env, dotenv, ports, profiles: options.profiles ?? [] })
      : withProcfileEnv(parseProcfile(text, found.file, projectDir), { env, dotenv, ports });
  if (problem) throw problem;
  return config;
}
