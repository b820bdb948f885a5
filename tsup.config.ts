import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { defineConfig, type Options } from 'tsup';
import { CJS_WRAPPER_HEAD } from './src/kit/cjs-wrapper.js';

/*
 * The whole build (`npm run build`): four outputs, built side by side.
 *
 *  - dist/cli.js, the bin: all of tend's own code in one CommonJS file
 *    (dist/package.json says `"type": "commonjs"`). No ES module loader on
 *    the CLI paths, one file to read: `tend status` loads nothing else.
 *  - dist/daemon.js: the daemon's code (src/daemon-main.ts), every
 *    dependency inlined and tree-shaken (it loads most of them anyway).
 *  - dist/vendor/*.js: the heavy dependencies (yoga and graphql, yargs, yaml,
 *    zod, …), one CommonJS file each, required by cli.js only where a command
 *    uses them (esbuild wraps every lazily imported module, so a require
 *    runs when its importer is first needed).
 *  - dist/index.mjs + dist/index.d.ts: the kit's exports (`import 'tend-cli'`),
 *    an ES module like the package, everything bundled.
 *  - dist/ui/: the dashboard for browsers; the daemon reads it into memory.
 */

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** Dependencies bundled into dist/vendor/ instead of cli.js: too big for every command to parse. */
const VENDORED = ['graphql', 'graphql-yoga', 'yargs', 'yaml', 'zod', 'cli-table3', 'proper-lockfile', 'picomatch'];
// graphql's sub-paths (imported by yoga's dependencies) are all parts of its
// main entry: the same one copy of graphql, as graphql requires.
const GRAPHQL_PARTS = ['error', 'execution', 'language', 'subscription', 'type', 'utilities', 'validation'];

/**
 * esbuild options that import each vendored package (and graphql's parts)
 * from its file, `<prefix><name>.js`, left as it is in the output.
 */
function fromVendor(prefix: string): (options: BuildOptions) => void {
  return (options) => {
    options.alias = {
      ...Object.fromEntries(VENDORED.map((name) => [name, `${prefix}${name}.js`])),
      ...Object.fromEntries(GRAPHQL_PARTS.map((part) => [`graphql/${part}`, `${prefix}graphql.js`])),
    };
    options.external = [...(options.external ?? []), `${prefix}*`];
  };
}

/** What the node builds share. */
const node: Options = {
  platform: 'node',
  target: 'node20',
  bundle: true,
  // Everything is bundled: an installed tend-cli has no dependencies to
  // resolve. @parcel/watcher is a native addon whose loader picks a prebuilt
  // .node package at run time, which a bundle cannot hold.
  noExternal: [/^(?!@parcel\/watcher$)/],
  external: ['@parcel/watcher'],
  sourcemap: false,
  define: {
    __TEND_VERSION__: JSON.stringify(pkg.version),
    // One per build: part of the code cache's key (src/kit/code-cache.ts).
    __TEND_BUILD__: JSON.stringify(randomBytes(4).toString('hex')),
    // graphql's `instanceOf` as plain `instanceof`, as graphql does in
    // production: its development variant guards against two copies of
    // graphql, impossible here, on every type check of every request.
    // Only this exact expression is replaced: yoga reads
    // `globalThis.process?.env?.NODE_ENV` at run time, for its own choices.
    'process.env.NODE_ENV': '"production"',
  },
  // Whitespace and syntax only: ~35% less to parse and compile, while stack
  // traces keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
};

/**
 * What the code cache's loader runs (src/kit/code-cache.ts): Node's CommonJS
 * wrapper written into the file, so the loader compiles the text as read
 * (wrapping 1.4 MB at run time makes a second copy the daemon's heap keeps).
 */
const wrapped: Pick<Options, 'banner' | 'footer'> = {
  banner: { js: CJS_WRAPPER_HEAD },
  footer: { js: '})' },
};

/** CommonJS, in dist/ (whose package.json makes `.js` CommonJS). */
const commonjs: Options = {
  ...node,
  format: 'cjs',
  splitting: false,
  // `import.meta.url` as the file's own URL.
  shims: true,
  outExtension: () => ({ js: '.js' }),
};

export default defineConfig([
  {
    ...commonjs,
    // The bin runs the program through V8's code cache (src/bin.ts).
    entry: { cli: 'src/bin.ts' },
    // Holds dist/package.json, `{"type":"commonjs"}`.
    publicDir: 'scripts/build/dist-root',
    // Only this build's files: the others write beside it at the same time.
    clean: ['!**/*.mjs', '!**/*.d.ts', '!ui/**', '!vendor/**', '!tend.js', '!daemon.js'],
  },
  {
    ...commonjs,
    ...wrapped,
    // The commands' program.
    entry: { tend: 'src/cli.ts' },
    esbuildOptions: fromVendor('./vendor/'),
    clean: false,
  },
  {
    ...commonjs,
    ...wrapped,
    // The daemon (src/bin.ts picks it in daemon mode): its code with every
    // dependency inlined, so esbuild tree-shakes them as one graph.
    entry: { daemon: 'src/daemon-main.ts' },
    clean: false,
  },
  {
    ...commonjs,
    entry: Object.fromEntries(VENDORED.map((name) => [name, fileURLToPath(import.meta.resolve(name))])),
    outDir: 'dist/vendor',
    // Each vendored package requires the others from their own file (yoga: graphql).
    esbuildOptions: fromVendor('../vendor/'),
    // Node's convention for an ES module required from CommonJS (yargs uses
    // it): `export { x as 'module.exports' }` names what require() returns.
    banner: wrapped.banner,
    footer: { js: 'if(Object.hasOwn(module.exports,"module.exports"))module.exports=module.exports["module.exports"];\n})' },
    clean: true,
  },
  {
    ...node,
    entry: { index: 'src/index.ts' },
    format: 'esm',
    splitting: true,
    outExtension: () => ({ js: '.mjs' }),
    dts: { entry: { index: 'src/index.ts' } },
    // Bundled CommonJS dependencies call require(), which ES modules lack.
    banner: { js: "import { createRequire as __tendCreateRequire } from 'node:module'; const require = __tendCreateRequire(import.meta.url);" },
    clean: ['!**/*.js', '!package.json', '!ui/**', '!vendor/**'],
  },
  {
    // Names without hashes: the daemon hashes the content for the URLs.
    entry: { app: 'src/daemon/ui/main.ts', style: 'src/daemon/ui/style.css', index: 'src/daemon/ui/index.html' },
    outDir: 'dist/ui',
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    bundle: true,
    minify: true,
    splitting: false,
    loader: { '.html': 'copy' },
    clean: true,
  },
]);
