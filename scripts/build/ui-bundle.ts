import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { UiBundle } from '../../src/kit/server/ui-routes.js';

const UI_DIR = fileURLToPath(new URL('../../src/daemon/ui/', import.meta.url));

/**
 * Builds the dashboard: main.ts bundled and minified for browsers, the
 * stylesheet, and the page naming both by content hash (so they can be
 * cached as immutable while the page itself is never cached).
 */
export async function buildUiBundle(): Promise<UiBundle> {
  const result = await build({
    entryPoints: [`${UI_DIR}main.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  const css = (await build({ entryPoints: [`${UI_DIR}style.css`], bundle: true, minify: true, write: false, logLevel: 'silent' })).outputFiles[0]!.text;
  const jsPath = `/ui/app-${hash(js)}.js`;
  const cssPath = `/ui/app-${hash(css)}.css`;
  const html = readFileSync(`${UI_DIR}index.html`, 'utf8').replace('{{js}}', jsPath).replace('{{css}}', cssPath);
  return {
    html,
    assets: {
      [jsPath]: { body: js, type: 'text/javascript; charset=utf-8' },
      [cssPath]: { body: css, type: 'text/css; charset=utf-8' },
    },
  };
}

/**
 * Replaces src/daemon/ui/bundle.ts with the built dashboard as string
 * constants: the daemon serves it from memory, and dist needs no esbuild.
 */
export function uiBundlePlugin(): Plugin {
  return {
    name: 'ui-bundle',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]daemon[\\/]ui[\\/]bundle\.ts$/ }, async () => ({
        contents: `const BUNDLE = ${JSON.stringify(await buildUiBundle())};\nexport async function uiBundle() { return BUNDLE; }\n`,
        loader: 'js',
      }));
    },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
