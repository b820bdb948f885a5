import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { graphqlInstanceOf } from './scripts/build/graphql-instanceof.js';
import { processGlobal } from './scripts/build/process-global.js';
import { regroupChunks } from './scripts/build/regroup-chunks.js';
import { uiBundlePlugin } from './scripts/build/ui-bundle.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// Everything is bundled: resolving node_modules at run time costs the `status`
// path ~60 ms (see README, Performance). Code splitting keeps the heavy
// dependencies (yoga, yargs, yaml+zod…) behind dynamic imports, and the
// regroup step below puts all the rest in one chunk, so `tend status` loads
// two files.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  bundle: true,
  noExternal: [/^(?!@parcel\/watcher$)/],
  // A native addon: its loader picks a prebuilt .node package at run time, which a bundle cannot hold.
  external: ['@parcel/watcher'],
  clean: true,
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: false,
  define: { __TEND_VERSION__: JSON.stringify(pkg.version) },
  // Whitespace and syntax only: ~35% less to parse and compile (the daemon
  // compiles ~1.6 MB on every start), while stack traces keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  // Rollup tree-shakes the whole graph in regroupChunks.
  treeshake: false,
  metafile: true,
  // Keep `node:` in imports: processGlobal must see `node:process`.
  removeNodeProtocol: false,
  esbuildPlugins: [processGlobal(), graphqlInstanceOf(), uiBundlePlugin()],
  // Bundled CommonJS deps call require(); ESM output has none without this.
  banner: { js: "import { createRequire as __tendCreateRequire } from 'node:module'; const require = __tendCreateRequire(import.meta.url);" },
  onSuccess: () =>
    regroupChunks({
      outDir: 'dist',
      entries: ['cli', 'index'],
      executables: ['cli'],
      lightPackages: ['yargs-parser', 'env-paths', 'is-safe-filename', '@noble/hashes'],
      heavySources: ['src/services/', 'src/daemon/ui/'],
      heavyBuiltins: ['child_process', 'http'],
    }),
});
