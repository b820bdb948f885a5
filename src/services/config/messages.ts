import type * as z from 'zod';

/** A problem found while validating, before it is given a line and column. */
export interface RawIssue {
  /** Key path from the top of the file. */
  path: (string | number)[];
  message: string;
  /** Point at the key itself (unknown key, bad name) rather than at its value. */
  at: 'key' | 'value';
  /** Offset of the problem inside a string value (an interpolation), when known. */
  offset?: number;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/** How a YAML value reads in a message: strings quoted, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Zod error map that says what was expected and what the file holds, in the file's own terms. */
export const zodErrorMap: z.core.$ZodErrorMap = (issue) => {
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required key is missing';
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, ${got}`;
    case 'too_small':
      if (issue.origin === 'string') return 'expected a non-empty string';
      if (issue.origin === 'array') return 'expected a non-empty list';
      return `expected a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, ${got}`;
    case 'too_big':
      return `expected a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, ${got}`;
    case 'invalid_key':
      return issue.issues[0]?.message ?? 'invalid key';
    default:
      return undefined;
  }
};

/** Zod issues as raw issues under `prefix`, one per unknown key. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): RawIssue[] {
  return issues.flatMap((issue): RawIssue[] => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: issue.message, at: 'key' }));
    }
    return [{ path, message: issue.message, at: issue.code === 'invalid_key' ? 'key' : 'value' }];
  });
}
