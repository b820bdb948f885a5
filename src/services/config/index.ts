/**
 * The services configuration: tend.yaml / tend.yml (validated with a strict
 * schema, every problem reported with file:line:col) or a Procfile, resolved
 * to `ProjectConfig`. Synchronous: the files are small and the CLI stays simple.
 */
export { CONFIG_FILE_NAMES, configFileKind, findConfigFile, loadProjectConfig, type ConfigFileKind, type LoadOptions } from './load.js';
export { parseYamlConfig } from './yaml.js';
export { parseProcfile } from './procfile.js';
export { diffConfigs } from './diff.js';
export { parseDuration } from './duration.js';
export { configDigest } from './digest.js';
export { ConfigError, formatConfigError, formatConfigIssue, type ConfigIssue } from './errors.js';
