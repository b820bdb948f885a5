import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

/** 1-based line and column in the source text. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Where the node at `path` starts: the value by default, the key when asked or
 * when the value is empty; for a path that is missing, the key of the nearest
 * mapping that holds it (so "required key is missing" points at its owner).
 */
export function locate(doc: Document, lines: LineCounter, path: readonly (string | number)[], at: 'key' | 'value', offset?: number): Position {
  let node: unknown = doc.contents;
  let key: unknown = null;
  let found = true;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) {
        found = false;
        break;
      }
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      key = null;
      node = node.items[segment];
    } else {
      found = false;
      break;
    }
  }
  const target = !found || at === 'key' || isEmpty(node) ? (key ?? node) : node;
  const start = rangeStart(target);
  if (start === undefined) return { line: 1, column: 1 };
  const { line, col } = lines.linePos(start + (found && offset !== undefined ? inScalar(target, offset) : 0));
  return { line, column: col };
}

// How far into a scalar's source the character at `offset` of its value is:
// exact for plain and quoted one-line scalars (escapes aside); 0 for block scalars.
function inScalar(node: unknown, offset: number): number {
  if (!isScalar(node) || !node.range) return 0;
  const [start, end] = node.range;
  if (node.type === 'PLAIN') return offset <= end - start ? offset : 0;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return offset + 1 <= end - start ? offset + 1 : 0;
  return 0;
}

/** `services.web.depends_on[0]`, with keys that are not plain words quoted. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

// `key:` with nothing after it parses to a zero-width null scalar placed at the end of the line.
function isEmpty(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  return isScalar(node) && node.value === null && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] | null } | null)?.range;
  return range ? range[0] : undefined;
}
