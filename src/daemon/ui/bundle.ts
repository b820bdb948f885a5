import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DaemonError } from '../../kit/errors.js';
import type { UiBundle } from '../../kit/server/ui-routes.js';

/** Where the dashboard's built files are: dist/ui beside the built daemon, or the repo's dist/ui when run from source. */
export function uiDir(moduleUrl: string = import.meta.url): string {
  const built = fileURLToPath(new URL('ui/', moduleUrl));
  return existsSync(`${built}app.js`) ? built : fileURLToPath(new URL('../../../dist/ui/', moduleUrl));
}

/**
 * The dashboard's page and assets, read once from the files the build wrote
 * (tsup.config.ts, the browser entry), named by content hash so they can be
 * cached as immutable while the page itself is never cached.
 */
export async function uiBundle(dir: string = uiDir()): Promise<UiBundle> {
  const read = (name: string) => {
    try {
      return readFileSync(`${dir}${name}`, 'utf8');
    } catch (err) {
      throw new DaemonError('INTERNAL', `the dashboard is not built (${dir}${name} is missing): run \`npm run build\``, { cause: err });
    }
  };
  const js = read('app.js');
  const css = read('style.css');
  const jsPath = `/ui/app-${hash(js)}.js`;
  const cssPath = `/ui/app-${hash(css)}.css`;
  const html = read('index.html').replace('{{js}}', jsPath).replace('{{css}}', cssPath);
  return {
    html,
    assets: {
      [jsPath]: { body: js, type: 'text/javascript; charset=utf-8' },
      [cssPath]: { body: css, type: 'text/css; charset=utf-8' },
    },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
