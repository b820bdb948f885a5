import * as z from 'zod';
import type { DependencyCondition } from '../types.js';
import { byShape, strict } from './fields.js';
import type { RawIssue } from './messages.js';

/** One `depends_on` entry and where it sits (list index or mapping key), for error positions. */
export interface DependencyEntry {
  name: string;
  condition: DependencyCondition;
  at: string | number;
}

/** A service as the dependency checks see it. */
export interface DependencyNode {
  name: string;
  dependsOn: readonly DependencyEntry[];
}

/** `depends_on:` as a list of names (condition `started`) or a mapping name -> `{ condition }`. */
export function dependsOn() {
  const condition = z.enum(['started', 'ready', 'completed']).default('started');
  const asList = z.array(z.string()).transform((names, ctx): DependencyEntry[] => {
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name)} is listed twice`, path: [i] });
    });
    return names.map((name, i) => ({ name, condition: 'started', at: i }));
  });
  const asMap = z
    .record(z.string(), strict({ condition }))
    .transform((map) => Object.entries(map).map(([name, v]): DependencyEntry => ({ name, condition: v.condition, at: name })));
  return byShape<DependencyEntry[]>('a list of service names or a mapping of name to { condition }', (value) => {
    if (Array.isArray(value)) return asList;
    if (typeof value === 'object' && value !== null) return asMap;
    return undefined;
  });
}

/**
 * Dependencies that name no service, name their own service, or close a cycle.
 * `known` holds every declared name, including services whose own keys are invalid.
 */
export function checkDependencies(services: readonly DependencyNode[], known: readonly string[]): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const service of services) {
    for (const dep of service.dependsOn) {
      const path = ['services', service.name, 'depends_on', dep.at];
      const at = typeof dep.at === 'string' ? 'key' : 'value';
      if (dep.name === service.name) {
        issues.push({ path, at, message: 'a service cannot depend on itself' });
      } else if (!known.includes(dep.name)) {
        const others = known.filter((name) => name !== service.name);
        const hint = others.length ? `known services: ${others.join(', ')}` : 'there are no other services';
        issues.push({ path, at, message: `unknown service ${JSON.stringify(dep.name)}; ${hint}` });
      }
    }
  }
  return [...issues, ...findCycles(services)];
}

// Depth-first search; a dependency still on the stack closes a cycle. Each cycle is
// reported once, at the depends_on of its member that comes first in the file.
function findCycles(services: readonly DependencyNode[]): RawIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const order = services.map((s) => s.name);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const issues: RawIssue[] = [];

  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (dep.name === name || !byName.has(dep.name)) continue;
      const seen = state.get(dep.name);
      if (seen === undefined) visit(dep.name);
      else if (seen === 'visiting') report(stack.slice(stack.indexOf(dep.name)));
    }
    stack.pop();
    state.set(name, 'done');
  };

  const report = (members: string[]): void => {
    const first = members.reduce((a, b) => (order.indexOf(b) < order.indexOf(a) ? b : a));
    const start = members.indexOf(first);
    const cycle = [...members.slice(start), ...members.slice(0, start)];
    const key = cycle.join('\0');
    if (reported.has(key)) return;
    reported.add(key);
    issues.push({
      path: ['services', first, 'depends_on'],
      at: 'value',
      message: `dependency cycle: ${[...cycle, first].join(' -> ')}`,
    });
  };

  for (const name of order) if (!state.has(name)) visit(name);
  return issues;
}
