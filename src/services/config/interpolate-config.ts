import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { isMapping } from './fields.js';
import { interpolate, needsInterpolation, type Lookup } from './interpolate.js';
import type { RawIssue } from './messages.js';
import { readConfigInput } from './read-input.js';

/** What `${…}` can see, lowest layers first: tend's environment, then the project's `.env`, and the services' ports. */
export interface InterpolationScope {
  /** tend's own environment. */
  env: NodeJS.ProcessEnv;
  /** The project root's `.env`. */
  dotenv: Record<string, string>;
  /** Port of each service that has one. */
  ports: ReadonlyMap<string, number>;
  projectDir: string;
}

type Path = (string | number)[];

/**
 * Interpolates every string of tend.yaml's data (keys are left alone). Inside
 * a service NAME is looked up in its PORT, its `env`, its `env_file`, the
 * project's `.env`, then tend's environment; `${ports.SERVICE}` is a port.
 * Returns the new data and one issue per string that could not be interpolated.
 */
export function interpolateConfig(data: unknown, scope: InterpolationScope): { data: unknown; issues: RawIssue[] } {
  const issues: RawIssue[] = [];
  if (!isMapping(data)) return { data, issues };
  const base = baseLookup(scope);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    out[key] = key === 'services' && isMapping(value) ? interpolateServices(value, scope, base, issues) : walk(value, [key], base, issues);
  }
  return { data: out, issues };
}

/** `.env`, then tend's environment, and `ports.SERVICE`. */
export function baseLookup(scope: InterpolationScope): Lookup {
  return (name) => {
    if (name.startsWith('ports.')) {
      const port = scope.ports.get(name.slice(6));
      return port === undefined ? undefined : String(port);
    }
    return Object.hasOwn(scope.dotenv, name) ? scope.dotenv[name] : scope.env[name];
  };
}

/** Interpolates one value (a `port:` before ports are known) with `lookup`; problems go to `issues`. */
export function interpolateValue(value: unknown, at: Path, lookup: Lookup, issues: RawIssue[]): unknown {
  return walk(value, at, lookup, issues);
}

function interpolateServices(services: Record<string, unknown>, scope: InterpolationScope, base: Lookup, issues: RawIssue[]) {
  const out: Record<string, unknown> = {};
  for (const [name, body] of Object.entries(services)) {
    const at = ['services', name];
    if (!isMapping(body)) {
      out[name] = walk(body, at, base, issues);
      continue;
    }
    const port = scope.ports.get(name);
    const portVars: Record<string, string> = port === undefined ? {} : { PORT: String(port) };
    // Each layer sees only what lies below it: env_file's paths, then env, then the rest.
    const envFile = walk(body['env_file'], [...at, 'env_file'], layered(portVars, base), issues);
    const files = layered(readEnvFiles(envFile, scope.projectDir), base);
    const env = walk(body['env'], [...at, 'env'], layered(portVars, files), issues);
    const own = layered(portVars, layered(isMapping(env) ? stringsOf(env) : {}, files));
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === 'env_file') result[key] = envFile;
      else if (key === 'env') result[key] = env;
      else if (key === 'port') result[key] = value; // interpolated before ports were assigned
      else result[key] = walk(value, [...at, key], own, issues);
    }
    out[name] = result;
  }
  return out;
}

function walk(value: unknown, at: Path, lookup: Lookup, issues: RawIssue[]): unknown {
  if (typeof value === 'string') {
    if (!needsInterpolation(value)) return value;
    const result = interpolate(value, lookup);
    if (result.ok) return result.value;
    issues.push({ path: at, at: 'value', message: result.problem.message, offset: result.problem.offset });
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, [...at, i], lookup, issues));
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...at, k], lookup, issues)]));
  }
  return value;
}

function layered(top: Record<string, string>, below: Lookup): Lookup {
  return (name) => (Object.hasOwn(top, name) ? top[name] : below(name));
}

function stringsOf(map: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  return out;
}

// Only for the scope: the schema reads these files again and reports any that are missing.
function readEnvFiles(value: unknown, projectDir: string): Record<string, string> {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const out: Record<string, string> = {};
  for (const file of list) {
    if (typeof file !== 'string' || file === '') continue;
    try {
      Object.assign(out, parseDotenv(readConfigInput(path.resolve(projectDir, file), 'env file')));
    } catch {
      // Reported by the schema.
    }
  }
  return out;
}
