import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rollup } from 'rollup';

/*
 * Regroups esbuild's chunks so that the light CLI paths (status, stop, logs…)
 * load the entry and one `core` chunk.
 *
 * esbuild splits per set of entry points that reach a module, and counts every
 * dynamic import as an entry: `tend status` ended up loading 13 files, each one
 * resolved, read and compiled on its own (~20 ms). Rollup, run over esbuild's
 * output, merges every chunk free of heavy dependencies into the core chunk,
 * and keeps the heavy ones (yoga, yargs, yaml+zod, cli-table3, proper-lockfile,
 * the supervisor) behind their dynamic imports, where they were.
 */

/** What regroupChunks keeps out of the core chunk, and where it works. */
export interface RegroupOptions {
  /** The output directory, holding esbuild's chunks and `metafile-esm.json`. */
  outDir: string;
  /** Entry names (`cli` for `cli.js`); they stay files of their own. */
  entries: string[];
  /** Packages small enough for the core chunk; any other package keeps a chunk out of it. */
  lightPackages: string[];
  /** Source folders that never go into the core chunk (the daemon's own work). */
  heavySources: string[];
  /**
   * Built-ins that keep a chunk out of the core: importing one loads it (and
   * what it needs) even when unused, e.g. child_process pulls in net and dgram,
   * http a dozen modules that `status` does without (see httpPost).
   */
  heavyBuiltins: string[];
  /** Entries to mark executable (the bin). */
  executables?: string[];
}

interface EsbuildOutput {
  entryPoint?: string;
  inputs: Record<string, unknown>;
  imports: { path: string; kind: string; external?: boolean }[];
}

/** Rewrites `outDir`'s JavaScript: the entries, one core chunk, and the heavy chunks. */
export async function regroupChunks(options: RegroupOptions): Promise<void> {
  const outDir = resolve(options.outDir);
  const metafile = join(outDir, 'metafile-esm.json');
  const meta = JSON.parse(readFileSync(metafile, 'utf8')) as { outputs: Record<string, EsbuildOutput> };
  const outputs = new Map(
    Object.entries(meta.outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, out]) => [resolve(file), out] as const),
  );
  const entryFiles = options.entries.map((name) => join(outDir, `${name}.js`));
  const core = coreChunks(outputs, new Set(entryFiles), options);

  const bundle = await rollup({
    input: Object.fromEntries(options.entries.map((name, i) => [name, entryFiles[i]!])),
    // Node built-ins and anything esbuild left external stay imports.
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    onwarn: (warning, warn) => {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  const { output } = await bundle.generate({
    format: 'es',
    entryFileNames: '[name].js',
    // esbuild's names already carry a content hash.
    chunkFileNames: '[name].js',
    manualChunks: (id) => (core.has(id) ? 'core' : undefined),
  });
  await bundle.close();

  // Replace esbuild's files only once rollup has succeeded.
  for (const file of outputs.keys()) rmSync(file, { force: true });
  rmSync(metafile, { force: true });
  for (const chunk of output) {
    const file = join(outDir, chunk.fileName);
    writeFileSync(file, chunk.type === 'chunk' ? chunk.code : chunk.source);
  }
  for (const name of options.executables ?? []) chmodSync(join(outDir, `${name}.js`), 0o755);
}

/**
 * The chunks free of heavy inputs whose static imports are all free of them
 * too: loading any of them can never pull a heavy chunk in.
 */
function coreChunks(outputs: Map<string, EsbuildOutput>, entries: Set<string>, options: RegroupOptions): Set<string> {
  const light = new Set<string>();
  const heavyBuiltin = (path: string) => options.heavyBuiltins.includes(path.replace(/^node:/, ''));
  for (const [file, out] of outputs) {
    if (entries.has(file)) continue;
    if (!Object.keys(out.inputs).every((input) => isLightInput(input, options))) continue;
    if (out.imports.some((i) => i.external && i.kind === 'import-statement' && heavyBuiltin(i.path))) continue;
    light.add(file);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const file of light) {
      const heavyImport = outputs.get(file)!.imports.some(
        (i) => i.kind === 'import-statement' && !i.external && !light.has(resolve(i.path)),
      );
      if (heavyImport) {
        light.delete(file);
        changed = true;
      }
    }
  }
  return light;
}

function isLightInput(input: string, options: RegroupOptions): boolean {
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  if (pkg) return options.lightPackages.includes(pkg);
  return !options.heavySources.some((dir) => input.startsWith(dir));
}
