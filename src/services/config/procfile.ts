import path from 'node:path';
import type { ProjectConfig, ServiceConfig } from '../types.js';
import { DEFAULT_RESTART, DEFAULT_STOP_SIGNAL, DEFAULT_STOP_TIMEOUT_MS } from './defaults.js';
import { ConfigError, type ConfigIssue } from './errors.js';

/** A Procfile process line, exactly as foreman and honcho match it. */
export const PROCFILE_LINE = /^([A-Za-z0-9_-]+):\s*(.+)$/;

/** Longest process name: the same cap as a tend.yaml service name. */
const MAX_PROCESS_NAME = 63;

/**
 * Parses a Procfile the way foreman does: a line matching PROCFILE_LINE is a
 * process (its command runs under /bin/sh -c in the project dir); blank lines
 * and `#` comments are ignored; any other line (no command, indented, a name
 * such as `web.1`) is skipped with a warning naming it, not refused. A UTF-8
 * BOM is ignored. A duplicate name is an error, as in honcho.
 */
export function parseProcfile(text: string, file: string, projectDir: string): ProjectConfig {
  const root = path.resolve(projectDir);
  const display = path.relative(root, file) || path.basename(file);
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const services: ServiceConfig[] = [];
  const firstLine = new Map<string, number>();

  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((source, index) => {
    const line = index + 1;
    const content = source.trim();
    if (content === '' || content.startsWith('#')) return;
    const match = PROCFILE_LINE.exec(source);
    const command = match?.[2]?.trim() ?? '';
    if (match === null || command === '') {
      warnings.push(`${display}:${line}: skipped ${JSON.stringify(source.trimEnd())}: ${skipReason(source, match !== null)}`);
      return;
    }
    const name = match[1]!;
    // Names become log file names: a name no file system can hold is refused.
    if (name.length > MAX_PROCESS_NAME) {
      issues.push({ file: display, line, column: 1, path: '', message: `invalid process name ${JSON.stringify(name.slice(0, 20) + '…')}: ${name.length} characters, at most ${MAX_PROCESS_NAME}` });
      return;
    }
    if (command.includes('\0')) {
      issues.push({ file: display, line, column: source.indexOf('\0') + 1, path: '', message: 'the command holds a NUL byte, which no command line can carry' });
      return;
    }
    const first = firstLine.get(name);
    if (first !== undefined) {
      issues.push({ file: display, line, column: 1, path: '', message: `duplicate process name ${JSON.stringify(name)} (first defined on line ${first})` });
      return;
    }
    firstLine.set(name, line);
    services.push(procfileService(name, command, root));
  });

  if (issues.length > 0) throw new ConfigError(file, display, issues);
  return { file, kind: 'procfile', services, daemon: {}, ...(warnings.length ? { warnings } : {}) };
}

// Why a non-blank, non-comment line is not a process, in the user's terms.
function skipReason(source: string, named: boolean): string {
  if (named) return 'no command after the name';
  if (/^\s/.test(source)) return 'a process line starts at the first column';
  if (!source.includes(':')) return 'not a "name: command" line';
  if (/^[^:]*:\s*$/.test(source)) return 'no command after the name';
  return 'a process name has only letters, digits, "_" and "-"';
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
    watch: null,
    live: null,
    restartTuning: null,
  };
}
