import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { ConfigError, formatConfigIssue, loadProjectConfig } from '../../../src/services/config/index.js';

/** A temp project dir holding `files` (paths relative to it; a trailing `/` makes a dir), removed after the test. */
export function project(t: TestContext, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    if (name.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dir;
}

/** Lines joined into a file, so a test reads with its line numbers. */
export function lines(...source: string[]): string {
  return `${source.join('\n')}\n`;
}

/** Loads `dir`, expects a ConfigError, and returns its issues as `file:line:col: path: message` lines. */
export function issuesOf(dir: string): string[] {
  try {
    loadProjectConfig(dir);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.exitCode, 1);
    return err.issues.map(formatConfigIssue);
  }
  return assert.fail('expected the configuration to be refused');
}

/** A temp project whose tend.yaml is made of `source` lines (plus any extra files). */
export function yamlProject(t: TestContext, source: string[], files: Record<string, string> = {}): string {
  return project(t, { 'tend.yaml': lines(...source), ...files });
}

/** Issues of a tend.yaml made of `source` lines (plus any extra files). */
export function yamlIssues(t: TestContext, source: string[], files: Record<string, string> = {}): string[] {
  return issuesOf(yamlProject(t, source, files));
}
