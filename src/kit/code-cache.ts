import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { debuglog } from 'node:util';
import { Script, constants as vmConstants } from 'node:vm';
import { CJS_WRAPPER_HEAD } from './cjs-wrapper.js';
import { cacheStore, type CacheStore } from './code-cache-store.js';

/*
 * V8's code cache for a tool's bundled CommonJS program and the CommonJS
 * files it requires by relative path from its own dir (its vendored
 * dependencies: the daemon's yoga and graphql are most of what it compiles).
 * Node 20 has no compile cache of its own (module.enableCompileCache is Node
 * 22), and compiling is most of a short command's own time and of the
 * daemon's start. Each file has its own cache, keyed by the tool's version,
 * Node's version and arch, the build's id and the file's size and mtime; it
 * is read through the same trust check as the state files, and V8 checks it
 * again (a rejected cache is ignored). Only the daemon writes caches (a
 * writer of the state root anyway; read-only commands never create
 * anything), once it is ready.
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
  /** The require for everything but the program's own files (built-ins, native addons). */
  require: NodeJS.Require;
}

// NODE_DEBUG=module names the files this loader reads, as Node's own loader does.
const debug = debuglog('module');

// The hook the daemon calls (saveCodeCache) lives on globalThis: the loader
// and the program are separate bundles, so no module is shared between them.
const SAVE = Symbol.for('tend-kit.code-cache.save');

/** How runCached compiled the program: with its cache, without one, or with one V8 refused. */
export type CodeCacheUse = 'used' | 'none' | 'rejected';

interface LoadedModule {
  exports: unknown;
  id: string;
  filename: string;
  loaded: boolean;
}

/**
 * Runs the CommonJS program `file` as Node's loader would (same wrapper and
 * arguments), compiled with its code cache when a trusted, matching one is
 * there; its relative requires of `.js` files under its dir go the same way.
 * Returns how the program itself was compiled, once its top level has run.
 */
export function runCached(file: string, options: CodeCacheOptions): CodeCacheUse {
  return new CachedLoader(file, options).run();
}

/** Saves the code caches this process asked for (files compiled without a usable one); returns how many. */
export function saveCodeCache(): number {
  const save = (globalThis as Record<symbol, unknown>)[SAVE];
  if (typeof save !== 'function') return 0;
  delete (globalThis as Record<symbol, unknown>)[SAVE];
  return (save as () => number)();
}

/** One program's files, each compiled once with its cache, in a registry of its own (one copy of each). */
class CachedLoader {
  private readonly store: CacheStore | null;
  private readonly home: string;
  private readonly modules = new Map<string, LoadedModule>();
  private readonly unsaved: Array<{ file: string; script: Script }> = [];

  constructor(private readonly main: string, private readonly options: CodeCacheOptions) {
    this.home = dirname(main);
    let root: string | null = null;
    try {
      root = options.stateRoot();
    } catch {
      // A bad <NAME>_STATE_DIR: the program itself reports it.
    }
    this.store = root === null ? null : cacheStore(root, `${options.name}-${options.version}-node${process.versions.node}-${process.arch}-${options.build}`, `${options.name}-`);
  }

  run(): CodeCacheUse {
    return this.load(this.main);
  }

  private load(file: string): CodeCacheUse {
    debug('load %j for module %j (code cache)', file, file);
    const { size, mtimeMs } = statSync(file);
    const key = `${relative(this.home, file).replace(/[^\w.-]+/g, '_')}-${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}`;
    // Read the cache before the source: V8 copies both, and freeing one
    // before the other is read leaves a hole glibc keeps in the daemon's RSS.
    const found = this.store?.read(key);
    const cachedData = found === 'corrupt' ? undefined : found;
    const text = readFileSync(file, 'utf8');
    // A build can write the wrapper into the file (tsup.config.ts): then the
    // text compiles as read, with no second copy of it.
    const prewrapped = text.startsWith(CJS_WRAPPER_HEAD);
    const script = new Script(prewrapped ? text : `${CJS_WRAPPER_HEAD}\n${text}\n})`, {
      filename: file,
      // The wrapper on a line of its own keeps the file's line numbers in stack traces.
      lineOffset: prewrapped ? 0 : -1,
      cachedData,
      // `import()` in the program (an optional native addon) as in any CommonJS file.
      importModuleDynamically: vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier: string) => import(specifier)),
    } as ConstructorParameters<typeof Script>[1]);
    const rejected = found === 'corrupt' || (cachedData !== undefined && script.cachedDataRejected);
    if (this.store !== null && (cachedData === undefined || rejected)) this.askToSave(key, script);
    const module: LoadedModule = { exports: {}, id: file, filename: file, loaded: false };
    // Registered before it runs: a require cycle gets the exports so far, as in Node.
    this.modules.set(file, module);
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, this.requireFrom(dirname(file)), module, file, dirname(file));
    module.loaded = true;
    return rejected ? 'rejected' : cachedData === undefined ? 'none' : 'used';
  }

  /** A require for a file in `dir`: the program's own `.js` files through the cache, the rest through Node. */
  private requireFrom(dir: string): NodeJS.Require {
    const fallback = this.options.require;
    const own = (id: string): string | null => {
      if (!id.startsWith('./') && !id.startsWith('../')) return null;
      const path = resolve(dir, id);
      const rel = relative(this.home, path);
      return path.endsWith('.js') && !rel.startsWith('..') && !isAbsolute(rel) ? path : null;
    };
    const require = (id: string): unknown => {
      const path = own(id);
      // Anything else through Node, a relative path from this file's own dir.
      if (path === null) return fallback(id.startsWith('./') || id.startsWith('../') ? resolve(dir, id) : id);
      if (!this.modules.has(path)) this.load(path);
      return this.modules.get(path)!.exports;
    };
    return Object.assign(require, {
      resolve: Object.assign((id: string, opts?: { paths?: string[] }) => own(id) ?? fallback.resolve(id, opts), { paths: fallback.resolve.paths }),
      cache: fallback.cache,
      main: fallback.main,
      extensions: fallback.extensions,
    }) as NodeJS.Require;
  }

  // One hook for all the files: the daemon saves them together once ready,
  // when their lazily compiled functions are in the cache too.
  private askToSave(key: string, script: Script): void {
    this.unsaved.push({ file: key, script });
    const store = this.store!;
    (globalThis as Record<symbol, unknown>)[SAVE] = () => {
      const files = this.unsaved.splice(0);
      for (const { file, script: s } of files) store.save(file, s.createCachedData());
      return files.length;
    };
  }
}
