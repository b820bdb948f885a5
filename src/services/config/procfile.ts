import path from 'node:path';
import type { ProjectConfig, ServiceConfig } from '../types.js';
import { DEFAULT_RESTART, DEFAULT_STOP_SIGNAL, DEFAULT_STOP_TIMEOUT_MS, SERVICE_NAME_HINT, SERVICE_NAME_PATTERN } from './defaults.js';
import { ConfigError, type ConfigIssue } from './errors.js';

/**
 * Parses a Procfile (`name: command` per line; blank lines and `#` comments
 * ignored). Every service runs its command under /bin/sh -c in the project dir.
 */
export function parseProcfile(text: string, file: string, projectDir: string): ProjectConfig {
  const root = path.resolve(projectDir);
  const display = path.relative(root, file) || path.basename(file);
  const issues: ConfigIssue[] = [];
  const services: ServiceConfig[] = [];
  const firstLine = new Map<string, number>();
  const problem = (line: number, column: number, message: string) =>
    issues.push({ file: display, line, column, path: '', message });

  text.split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    const content = source.trim();
    if (content === '' || content.startsWith('#')) return;
    const column = source.length - source.trimStart().length + 1;
    const colon = content.indexOf(':');
    if (colon <= 0) return problem(line, column, 'expected "name: command"');
    const name = content.slice(0, colon);
    const command = content.slice(colon + 1).trim();
    if (!SERVICE_NAME_PATTERN.test(name)) return problem(line, column, `invalid service name ${JSON.stringify(name)}; ${SERVICE_NAME_HINT}`);
    if (command === '') return problem(line, column + colon + 1, `expected a command after "${name}:"`);
    if (command.includes('\0')) return problem(line, column + source.trimStart().indexOf('\0'), 'the command holds a NUL byte, which no command line can carry');
    const first = firstLine.get(name);
    if (first !== undefined) return problem(line, column, `duplicate service name ${JSON.stringify(name)} (first defined on line ${first})`);
    firstLine.set(name, line);
    services.push(procfileService(name, command, root));
  });

  if (issues.length > 0) throw new ConfigError(file, display, issues);
  return { file, kind: 'procfile', services, daemon: {} };
}

function procfileService(name: string, command: string, cwd: string): ServiceConfig {
  return {
    name,
    command,
    cwd,
    env: {},
    dependsOn: {},
    ready: null,
    restart: DEFAULT_RESTART,
    stopSignal: DEFAULT_STOP_SIGNAL,
    stopTimeoutMs: DEFAULT_STOP_TIMEOUT_MS,
  };
}
