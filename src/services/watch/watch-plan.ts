/**
 * What a service's `watch:` means on disk: which directories to subscribe to
 * (the existing base of each path or glob), what to tell the watcher never to
 * scan (ignored trees), and whether a changed path counts. Pure: it only
 * stats the bases, so a plan is re-made when a missing base appears.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { WatchConfig } from '../types.js';

/** Directory names ignored unless a watch path names them. */
export const DEFAULT_IGNORED_NAMES = ['.git', 'node_modules'] as const;

/** One directory to subscribe to, and what the watcher must not descend into under it. */
export interface WatchRoot {
  dir: string;
  /** For @parcel/watcher: absolute paths, or globs relative to `dir`. */
  ignore: string[];
}

/** The subscriptions and the filter of one service's watch. */
export interface WatchPlan {
  roots: WatchRoot[];
  /** Bases that do not exist yet (watched through an existing ancestor). */
  missing: string[];
  /** True when a change of `file` (absolute) should act. */
  matches: (file: string) => boolean;
}

/** A path or glob resolved against the cwd: a literal base plus the glob below it ('' for a plain path). */
interface Pattern {
  base: string;
  glob: string;
  test: ((rel: string) => boolean) | null;
}

/** Plans the watch of `config` for a service in `cwd`; `never` are absolute dirs never watched (tend's state). */
export function planWatch(config: WatchConfig, cwd: string, never: readonly string[]): WatchPlan {
  const include = config.paths.map((p) => pattern(p, cwd));
  const ignore = config.ignore.map((p) => pattern(p, cwd));
  const named = new Set(config.paths.flatMap((p) => p.split(/[\\/]/)));
  const ignoredNames = DEFAULT_IGNORED_NAMES.filter((name) => !named.has(name));
  // A state dir that holds the project itself cannot be left out without leaving out everything.
  const neverDirs = never.map((dir) => path.resolve(dir)).filter((dir) => !within(path.resolve(cwd), dir));

  const missing: string[] = [];
  const dirs = new Set<string>();
  for (const p of include) {
    const found = existingDir(p.base);
    if (found.missing) missing.push(p.base);
    dirs.add(found.dir);
  }
  const roots = outermost([...dirs]).map((dir): WatchRoot => ({ dir, ignore: rootIgnores(dir, ignore, ignoredNames, neverDirs) }));

  const matches = (file: string): boolean => {
    if (neverDirs.some((dir) => within(file, dir))) return false;
    if (ignore.some((p) => covers(p, file))) return false;
    if (!include.some((p) => covers(p, file))) return false;
    // Default-ignored names count only below the base the user named.
    return include.some((p) => covers(p, file) && !hasSegment(path.relative(p.base, file), ignoredNames));
  };
  return { roots, missing, matches };
}

function pattern(input: string, cwd: string): Pattern {
  const scan = picomatch.scan(input);
  const base = path.resolve(cwd, scan.base || '.');
  if (!scan.isGlob) return { base: path.resolve(cwd, input), glob: '', test: null };
  return { base, glob: scan.glob, test: picomatch(scan.glob, { dot: true }) };
}

// A plain path covers itself and everything below it; a glob covers what it
// matches and everything below a match (`packages/*/src` watches those trees).
function covers(p: Pattern, file: string): boolean {
  if (!within(file, p.base)) return false;
  if (p.test === null) return true;
  const rel = path.relative(p.base, file);
  if (rel === '') return false;
  const parts = rel.split(path.sep);
  for (let i = parts.length; i > 0; i--) if (p.test(parts.slice(0, i).join('/'))) return true;
  return false;
}

function within(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function hasSegment(rel: string, names: readonly string[]): boolean {
  return rel.split(path.sep).some((part) => names.includes(part));
}

// The base itself when it is a directory, its parent when it is a file, else
// the nearest existing ancestor (the base is picked up when it appears).
function existingDir(base: string): { dir: string; missing: boolean } {
  let dir = base;
  let missing = false;
  for (;;) {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return { dir, missing };
    if (stat !== undefined && dir === base) return { dir: path.dirname(dir), missing: false };
    missing = true;
    const parent = path.dirname(dir);
    if (parent === dir) return { dir, missing };
    dir = parent;
  }
}

function outermost(dirs: string[]): string[] {
  const sorted = [...dirs].sort((a, b) => a.length - b.length);
  return sorted.filter((dir, i) => !sorted.slice(0, i).some((outer) => within(dir, outer)));
}

// What @parcel/watcher must not scan under `root`. Its globs match paths
// relative to the root, so a user glob is rebased when it sits below the root;
// one that cannot be rebased is still honoured by the plan's own filter.
function rootIgnores(root: string, ignore: Pattern[], names: readonly string[], never: string[]): string[] {
  const out = names.map((name) => `**/${name}`);
  for (const dir of never) if (within(dir, root)) out.push(dir);
  for (const p of ignore) {
    if (p.test === null) {
      out.push(p.base);
      continue;
    }
    if (!within(p.base, root)) continue;
    const prefix = path.relative(root, p.base).split(path.sep).join('/');
    out.push(prefix === '' ? p.glob : `${prefix}/${p.glob}`);
  }
  return out;
}
