import { isMap, isScalar, visit, type Document, type LineCounter } from 'yaml';
import type { ConfigIssue } from './errors.js';

/** More keys than this in one mapping is refused: no dev service needs it, and validation stays fast. */
export const MAX_KEYS_PER_MAP = 10_000;

/**
 * One linear pass over a parsed tend.yaml for what the YAML library checks
 * slowly or not at all: duplicate keys (its own check is quadratic: 70,000
 * keys took 80 s, so it is turned off with `uniqueKeys: false`), mappings with
 * too many keys, and NUL bytes, which no command line or environment can carry.
 * `tooBig`: a mapping is over the cap, so the file is not worth validating further.
 */
export function scanDocument(doc: Document, lines: LineCounter, display: string): { issues: ConfigIssue[]; tooBig: boolean } {
  const issues: ConfigIssue[] = [];
  let tooBig = false;
  const at = (offset: number | undefined, message: string) => {
    const { line, col } = lines.linePos(offset ?? 0);
    issues.push({ file: display, line, column: col, path: '', message });
  };
  visit(doc, {
    Map(_key, map) {
      if (map.items.length > MAX_KEYS_PER_MAP) {
        at(map.range?.[0], `a mapping with ${map.items.length} keys; at most ${MAX_KEYS_PER_MAP} are allowed`);
        tooBig = true;
        return visit.SKIP;
      }
      const first = new Map<string, number | undefined>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        // `<<` is a merge key, allowed more than once.
        if (name === '<<' && !isMap(pair.value)) continue;
        const offset = pair.key.range?.[0];
        if (first.has(name)) {
          const { line } = lines.linePos(first.get(name) ?? 0);
          at(offset, `duplicate key ${JSON.stringify(name)} (first on line ${line})`);
        } else first.set(name, offset);
      }
      return undefined;
    },
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes('\0')) {
        at(node.range?.[0], `${JSON.stringify(node.value.slice(0, 40))} holds a NUL byte, which no command line or environment can carry`);
      }
    },
  });
  return { issues, tooBig };
}
