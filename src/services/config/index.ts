/**
 * The services configuration: tend.yaml / tend.yml (validated with a strict
 * schema, every problem reported with file:line:col) or a Procfile, resolved
 * to `ProjectConfig`. Synchronous: the files are small and the CLI stays simple.
 */
export { CONFIG_FILE_NAMES, findConfigFile, loadConfigWithSource, loadProjectConfig, type ConfigFileKind } from './load.js';
export type { ConfigSource } from './fingerprint.js';
export { parseYamlConfig } from './yaml.js';
export { parseProcfile } from './procfile.js';
export { diffConfigs } from './diff.js';
export { parseDuration } from './duration.js';
export { ConfigError, formatConfigError, formatConfigIssue, type ConfigIssue } from './errors.js';
