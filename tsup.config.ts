import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// Everything is bundled: resolving node_modules at run time costs the `status`
// path ~60 ms (see README, Performance). Code splitting keeps each command's
// imports in its own chunk, so `tend status` never loads graphql or yoga.
export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  bundle: true,
  noExternal: [/.*/],
  clean: true,
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: false,
  define: { __TEND_VERSION__: JSON.stringify(pkg.version) },
  minify: false,
  treeshake: true,
  // Bundled CommonJS deps call require(); ESM output has none without this.
  banner: { js: "import { createRequire as __tendCreateRequire } from 'node:module'; const require = __tendCreateRequire(import.meta.url);" },
});
