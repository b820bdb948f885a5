import path from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { PortAssigner, PortRequest, ProjectConfig, ServiceConfig } from '../types.js';
import { SERVICE_NAME_PATTERN } from './defaults.js';
import { checkDependencies, dependsOn, type DependencyNode } from './dependencies.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { isMapping } from './fields.js';
import { fromZodIssues, zodErrorMap, type RawIssue } from './messages.js';
import { baseLookup, interpolateConfig, interpolateValue, type InterpolationScope } from './interpolate-config.js';
import { portRequest } from './port-field.js';
import { formatPath, locate } from './positions.js';
import { scanDocument } from './yaml-scan.js';
import { projectSchema, serviceSchema, type ParsedService } from './schema.js';

/** What a tend.yaml is read with besides its text. */
export interface YamlOptions {
  /** tend's environment, for `${…}`. */
  env: NodeJS.ProcessEnv;
  /** The project's `.env`: in every service's env (below env_file and env), and seen by `${…}`. */
  dotenv: Record<string, string>;
  /** Assigns the services' ports (`port:`) once they are known. */
  ports: PortAssigner;
  /** Active profiles (`--profile`, TEND_PROFILES). */
  profiles: readonly string[];
}

/**
 * Parses and validates tend.yaml text read from `file`. Throws a `ConfigError`
 * listing every problem (syntax first: a file that does not parse is not validated).
 */
export function parseYamlConfig(text: string, file: string, projectDir: string, options: YamlOptions): ProjectConfig {
  const root = path.resolve(projectDir);
  const display = path.relative(root, file) || path.basename(file);
  const lines = new LineCounter();
  // uniqueKeys: false: scanDocument finds duplicates in linear time (the library's own check is quadratic).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, display, doc.errors.map((err) => {
      const { line, col } = lines.linePos(err.pos[0]);
      return { file: display, line, column: col, path: '', message: `YAML syntax error: ${err.message}` };
    }));
  }
  const scanned = scanDocument(doc, lines, display);
  if (scanned.tooBig) throw new ConfigError(file, display, scanned.issues);

  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (err) {
    // toJS refuses alias bombs ("Excessive alias count"); that is a property of the file.
    throw new ConfigError(file, display, [{ file: display, line: 1, column: 1, path: '', message: (err as Error).message }]);
  }

  const raw: RawIssue[] = [];
  // Ports first: every other string may say ${PORT} or ${ports.web}.
  const scope: InterpolationScope = { env: options.env, dotenv: options.dotenv, ports: new Map(), projectDir: root };
  const requests = portRequests(serviceEntries(doc, data), baseLookup(scope), raw);
  scope.ports = options.ports(requests);
  const interpolated = interpolateConfig(data, scope);
  raw.push(...interpolated.issues);
  data = interpolated.data;

  const top = projectSchema().safeParse(data, { error: zodErrorMap });
  if (!top.success) raw.push(...fromZodIssues(top.error.issues));

  const schema = serviceSchema(root);
  const entries = serviceEntries(doc, data);
  const names = entries.map(([name]) => name);
  const parsed: { name: string; service: ParsedService }[] = [];
  const graph: DependencyNode[] = [];
  for (const [name, body] of entries) {
    const result = schema.safeParse(body, { error: zodErrorMap });
    if (result.success) {
      parsed.push({ name, service: result.data });
      graph.push({ name, dependsOn: result.data.depends_on });
      continue;
    }
    raw.push(...fromZodIssues(result.error.issues, ['services', name]));
    // A broken service's dependencies are still checked, so fixing it reveals no second round of errors.
    const deps = dependsOn().default([]).safeParse(isMapping(body) ? body['depends_on'] : undefined, { error: zodErrorMap });
    if (deps.success) graph.push({ name, dependsOn: deps.data });
  }
  raw.push(...checkDependencies(graph, names));

  if (raw.length > 0 || scanned.issues.length > 0) {
    throw new ConfigError(file, display, [...scanned.issues, ...raw.map((issue) => place(issue, doc, lines, display))]);
  }
  return {
    file,
    kind: 'yaml',
    services: parsed.map(({ name, service }) => toServiceConfig(name, service, root, scope.ports.get(name) ?? null, options)),
    daemon: top.success ? { ...top.data.daemon } : {},
  };
}

// File order comes from the YAML map: a JS object would move integer-like names first.
// Invalid names are left out here; projectSchema has reported them already.
function serviceEntries(doc: Document, data: unknown): [string, unknown][] {
  const services = isMapping(data) ? data['services'] : undefined;
  const node = doc.get('services', true);
  if (!isMapping(services) || !isMap(node)) return [];
  return node.items
    .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''))
    .filter((name) => SERVICE_NAME_PATTERN.test(name))
    .map((name) => [name, services[name]]);
}

// Each service's `port:`, interpolated with what lies below the services (.env, tend's env).
function portRequests(entries: [string, unknown][], lookup: ReturnType<typeof baseLookup>, raw: RawIssue[]): PortRequest[] {
  const requests: PortRequest[] = [];
  for (const [name, body] of entries) {
    if (!isMapping(body) || body['port'] === undefined) continue;
    const request = portRequest(name, interpolateValue(body['port'], ['services', name, 'port'], lookup, raw));
    if ('kind' in request) requests.push(request);
    else raw.push(request);
  }
  return requests;
}

function place(issue: RawIssue, doc: Document, lines: LineCounter, display: string): ConfigIssue {
  const { line, column } = locate(doc, lines, issue.path, issue.at, issue.offset);
  return { file: display, line, column, path: formatPath(issue.path), message: issue.message };
}

function toServiceConfig(name: string, service: ParsedService, root: string, port: number | null, options: YamlOptions): ServiceConfig {
  const active = service.profiles.length === 0 || service.profiles.some((p) => options.profiles.includes(p));
  return {
    name,
    command: service.command,
    cwd: service.cwd ?? root,
    // `port:` sets PORT last: the service is told the port tend reserved for it.
    env: { ...options.dotenv, ...service.env_file, ...service.env, ...(port === null ? {} : { PORT: String(port) }) },
    port,
    autostart: service.autostart && active,
    dependsOn: Object.fromEntries(service.depends_on.map((dep) => [dep.name, dep.condition])),
    ready: service.ready ?? null,
    restart: service.restart.policy,
    stopSignal: service.stop_signal,
    stopTimeoutMs: service.stop_timeout,
    watch: service.watch ?? null,
    live: service.live ?? null,
    restartTuning: service.restart.tuning,
  };
}
