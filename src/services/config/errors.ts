import { DaemonError } from '../../kit/errors.js';

/** One problem in a configuration file, at the place a user would fix it. */
export interface ConfigIssue {
  /** Path of the file relative to the project dir, as shown to the user (`tend.yaml`). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Key path such as `services.web.restart`; empty for syntax errors. */
  path: string;
  /** What was expected (and what was found). */
  message: string;
}

/** Renders one issue as `file:line:col: path: message`, the form editors and terminals link. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Renders every issue of a file, one per line, under a header that names the file. */
export function formatConfigError(file: string, issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return [`invalid configuration in ${file} (${count}):`, ...issues.map(formatConfigIssue)].join('\n');
}

/** The configuration file cannot be used; `issues` holds every problem found, in file order. */
export class ConfigError extends DaemonError {
  override readonly name = 'ConfigError';
  /** Absolute path of the file that was read. */
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, displayName: string, issues: readonly ConfigIssue[]) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    super('CONFIG_INVALID', formatConfigError(displayName, sorted));
    this.file = file;
    this.issues = sorted;
  }
}
