/**
 * Compose-style `${…}` interpolation of one string. `${NAME}`, `${NAME:-d}`,
 * `${NAME-d}`, `${NAME:?msg}`, `${NAME?msg}`, `${NAME:+alt}`, `${NAME+alt}`;
 * defaults may nest `${…}`. `$${` is a literal `${`; any other `$` (a bare
 * `$NAME`, the shell's `$$`) is left for the shell.
 */

/** Finds a variable; undefined when it is unset. */
export type Lookup = (name: string) => string | undefined;

/** Why a string could not be interpolated, and where in it (0-based offset of the `${`). */
export interface InterpolationProblem {
  offset: number;
  message: string;
}

/** The result of interpolating one string. */
export type Interpolated = { ok: true; value: string } | { ok: false; problem: InterpolationProblem };

const NAME = /^(?:ports\.[A-Za-z0-9][A-Za-z0-9_.-]*|[A-Za-z_][A-Za-z0-9_]*)/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

/** Replaces every `${…}` in `text` using `lookup`; an unset name without a default is a problem. */
export function interpolate(text: string, lookup: Lookup): Interpolated {
  try {
    return { ok: true, value: expand(text, 0, lookup) };
  } catch (err) {
    if (err instanceof Problem) return { ok: false, problem: { offset: err.offset, message: err.message } };
    throw err;
  }
}

/** True when `text` holds something interpolation would change. */
export function needsInterpolation(text: string): boolean {
  return text.includes('${');
}

class Problem extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

// `base` is the offset of `text` in the original string, so nested problems point at the right place.
function expand(text: string, base: number, lookup: Lookup): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
    } else if (text[dollar + 1] === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) throw new Problem(base + dollar, `unclosed "\${" in ${JSON.stringify(text)}`);
      out += substitute(text.slice(dollar + 2, end), base + dollar, lookup);
      i = end + 1;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  return out + text.slice(i);
}

// Index of the `}` closing a `${` whose body starts at `from`, counting nested `${`.
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('$${', i)) i += 2;
    else if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(body: string, at: number, lookup: Lookup): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new Problem(at, `invalid variable name in "\${${body}}"; expected \${NAME} with letters, digits and "_", or \${ports.SERVICE}`);
  const rest = body.slice(name.length);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) throw new Problem(at, unsetMessage(name));
    return value;
  }
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) throw new Problem(at, `invalid interpolation "\${${body}}"; expected \${${name}}, \${${name}:-default}, \${${name}-default} or \${${name}:?message}`);
  const argument = () => expand(rest.slice(op.length), at + 2 + name.length + op.length, lookup);
  const empty = op.startsWith(':') ? value === undefined || value === '' : value === undefined;
  switch (op) {
    case ':-':
    case '-':
      return empty ? argument() : value!;
    case ':?':
    case '?': {
      if (!empty) return value!;
      const message = argument();
      throw new Problem(at, message ? `${name}: ${message}` : unsetMessage(name));
    }
    default:
      return empty ? '' : argument();
  }
}

function unsetMessage(name: string): string {
  if (name.startsWith('ports.')) return `\${${name}}: service ${JSON.stringify(name.slice(6))} has no port (give it \`port: auto\` or a number)`;
  return `variable ${name} is not set; set it in the environment or .env, or give a default: \${${name}:-value}`;
}
