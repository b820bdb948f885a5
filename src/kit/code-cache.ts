import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';
import { unlinkQuiet, writeFileAtomic } from './state/atomic-write.js';
import { checkTrusted } from './state/trust.js';

/*
 * V8's code cache for a tool's bundled CommonJS program. Node 20 has no
 * compile cache of its own (module.enableCompileCache is Node 22), and
 * compiling the program is most of a short command's own time. The cache is
 * keyed by the tool's version, Node's version and arch, and the program
 * file's identity (the build's id, its size and mtime); it is read through the same trust check as the state
 * files, and V8 checks it again (a rejected cache is ignored). Only the
 * daemon writes it (a writer of the state root anyway; read-only commands
 * never create anything), once it is ready.
 */

/** Options of runCached. */
export interface CodeCacheOptions {
  /** The tool's name: the cache files are `<name>-…` in `<state root>/.code-cache`. */
  name: string;
  version: string;
  /**
   * What tells two builds of the same version apart, e.g. a random id made at
   * build time (hashing the program's text here would cost more than the
   * cache saves: ~10 ms for 300 KB).
   */
  build: string;
  /** The state root, or null when it cannot be known (then no cache). */
  stateRoot: () => string | null;
  /** The program's require (its relative paths resolve from the program's dir). */
  require: NodeJS.Require;
}

// The hook the daemon calls (saveCodeCache) lives on globalThis: the loader
// and the program are separate bundles, so no module is shared between them.
const SAVE = Symbol.for('tend-kit.code-cache.save');

/** How runCached compiled the program: with its cache, without one, or with one V8 refused. */
export type CodeCacheUse = 'used' | 'none' | 'rejected';

/**
 * Runs the CommonJS program `file` as Node's loader would (same wrapper and
 * arguments), compiled with its code cache when a trusted, matching one is
 * there. Returns how, once the program's top level has run.
 */
export function runCached(file: string, options: CodeCacheOptions): CodeCacheUse {
  const source = readFileSync(file, 'utf8');
  let root: string | null = null;
  try {
    root = options.stateRoot();
  } catch {
    // A bad <NAME>_STATE_DIR: the program itself reports it.
  }
  const cacheDir = root === null ? null : join(root, '.code-cache');
  const { size, mtimeMs } = statSync(file);
  const identity = `${options.build}-${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}`;
  const cacheFile = cacheDir === null ? null : join(cacheDir, `${options.name}-${options.version}-node${process.versions.node}-${process.arch}-${identity}.bin`);
  const cachedData = root !== null && cacheFile !== null ? readTrusted(root, cacheFile) : undefined;
  // The wrapper on a line of its own keeps the program's line numbers in stack traces.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: file,
    lineOffset: -1,
    cachedData,
    // `import()` in the program (an optional native addon) as in any CommonJS file.
    importModuleDynamically: vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier: string) => import(specifier)),
  } as ConstructorParameters<typeof Script>[1]);
  if (root !== null && cacheFile !== null && (cachedData === undefined || script.cachedDataRejected)) {
    (globalThis as Record<symbol, unknown>)[SAVE] = () => saveTrusted(root, cacheFile, `${options.name}-`, script.createCachedData());
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, options.require, module, file, dirname(file));
  return cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
}

/** Saves the code cache of the program this process runs, when runCached asked for one (else nothing). */
export function saveCodeCache(): void {
  const save = (globalThis as Record<symbol, unknown>)[SAVE];
  if (typeof save !== 'function') return;
  delete (globalThis as Record<symbol, unknown>)[SAVE];
  save();
}

function readTrusted(root: string, file: string): Buffer | undefined {
  try {
    return checkTrusted(root, file) === 'ok' ? readFileSync(file) : undefined;
  } catch {
    // Untrusted or unreadable: compiled without it, as on a first run.
    return undefined;
  }
}

// Best effort: a cache is only ever an optimisation. Older caches of this
// tool (other versions or builds) go, so the dir holds one.
function saveTrusted(root: string, file: string, prefix: string, data: Buffer): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { mode: 0o700, recursive: true });
    if (checkTrusted(root, dir) !== 'ok') return;
    writeFileAtomic(file, data, 0o600, { durable: false });
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.bin') && join(dir, name) !== file) unlinkQuiet(join(dir, name));
    }
  } catch {
    // Not writable (a read-only or full disk): the next start tries again.
  }
}
