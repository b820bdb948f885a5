import os from 'node:os';
import * as z from 'zod';
import { DEFAULT_PROBE_HOST, SERVICE_NAME_HINT, SERVICE_NAME_PATTERN } from './defaults.js';
import { DURATION_HINT, parseDuration } from './duration.js';
import { describeValue, zodErrorMap } from './messages.js';

type Ctx = z.core.$RefinementCtx;

/** Adds a custom issue at the current value (or `path` below it); `return fail(...)` ends a transform. */
export function fail(ctx: Ctx, message: string, path: (string | number)[] = []): never {
  ctx.addIssue({ code: 'custom', message, path });
  return z.NEVER;
}

/** Strict mapping: an unknown key is an error that lists the keys allowed here. */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key; expected one of ${known}` : undefined),
  });
}

/**
 * A value whose schema depends on its YAML shape (string, number, list, mapping);
 * choosing first keeps the message precise where a zod union would report every branch.
 */
export function byShape<T>(expected: string, choose: (value: unknown) => z.ZodType<T> | undefined) {
  return z.unknown().transform((value, ctx): T => {
    if (value === undefined) return fail(ctx, 'required key is missing');
    const schema = choose(value);
    if (!schema) return fail(ctx, `expected ${expected}, got ${describeValue(value)}`);
    const result = schema.safeParse(value, { error: zodErrorMap });
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
    return z.NEVER;
  });
}

/** A plain mapping (not a list, not null). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A service name (as a mapping key or a list item). */
export function serviceName() {
  return z.string().regex(SERVICE_NAME_PATTERN, {
    error: (issue) => `invalid service name ${describeValue(issue.input)}; ${SERVICE_NAME_HINT}`,
  });
}

/** A profile name (`profiles:`, `--profile`): the same rules as a service name. */
export function profileName() {
  return z.string().regex(SERVICE_NAME_PATTERN, {
    error: (issue) => `invalid profile name ${describeValue(issue.input)}; ${SERVICE_NAME_HINT}`,
  });
}

/** A duration in milliseconds; `positive` refuses zero (an interval of 0 would spin). */
export function duration(options: { positive?: boolean } = {}) {
  return z.unknown().transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) return fail(ctx, `${DURATION_HINT}, got ${describeValue(value)}`);
    if (options.positive && ms === 0) return fail(ctx, 'expected a duration greater than 0');
    return ms;
  });
}

/** A command: a non-empty string (for /bin/sh -c) or a non-empty list of strings (exec'd). */
export function command() {
  return byShape<string | string[]>('a command string or a list of strings', (value) => {
    if (typeof value === 'string') return z.string().refine((s) => s.trim() !== '', 'expected a non-empty command');
    if (Array.isArray(value)) {
      return z
        .array(z.string())
        .min(1, 'expected a non-empty list')
        .refine((list) => list[0] !== '', { message: 'expected a program name, got an empty string', path: [0] });
    }
    return undefined;
  });
}

/** A signal name, `TERM` or `SIGTERM` in any case, normalized to `SIGTERM` and known to this platform. */
export function signal() {
  return z.unknown().transform((value, ctx): NodeJS.Signals => {
    const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
    const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    if (upper !== '' && Object.hasOwn(os.constants.signals, name)) return name as NodeJS.Signals;
    return fail(ctx, `expected a signal name such as SIGTERM, SIGINT or SIGKILL, got ${describeValue(value)}`);
  });
}

/** An environment value; numbers and booleans are written as YAML shows them. */
export function envValue() {
  return z.unknown().transform((value, ctx): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return fail(ctx, `expected a string, number or boolean, got ${describeValue(value)}`);
  });
}

/** An environment variable name: anything the OS accepts (no `=`, no NUL). */
export function envName() {
  return z.string().regex(/^[^=\0]+$/, { error: (issue) => `invalid variable name ${describeValue(issue.input)}` });
}

/** An http:// or https:// URL. */
export function httpUrl() {
  return z.string().transform((text, ctx) => {
    const url = URL.canParse(text) ? new URL(text) : null;
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return text;
    return fail(ctx, `expected an http:// or https:// URL, got ${describeValue(text)}`);
  });
}

/** A regular expression source that compiles. */
export function regex() {
  return z
    .string()
    .min(1)
    .transform((source, ctx) => {
      try {
        new RegExp(source);
        return source;
      } catch (err) {
        const reason = (err as Error).message.replace(/^Invalid regular expression: /, '');
        return fail(ctx, `expected a valid regular expression, got ${reason}`);
      }
    });
}

/** `PORT`, `"PORT"`, `"host:port"` or `"[ipv6]:port"`, as a host and port to connect to. */
export function tcpTarget() {
  const expected = 'a port number or "host:port"';
  const port = z.number().int().min(1).max(65535);
  return byShape<{ host: string; port: number }>(expected, (value) => {
    if (typeof value === 'number') return port.transform((p) => ({ host: DEFAULT_PROBE_HOST, port: p }));
    if (typeof value !== 'string') return undefined;
    return z.string().transform((text, ctx) => {
      const match = /^(?:\[([^\]]+)\]:|([^\s:[\]]+):)?(\d+)$/.exec(text.trim());
      const number = Number(match?.[3]);
      if (!match || number < 1 || number > 65535) return fail(ctx, `expected ${expected}, got ${describeValue(text)}`);
      return { host: match[1] ?? match[2] ?? DEFAULT_PROBE_HOST, port: number };
    });
  });
}
