#!/usr/bin/env node
// The bin of the build (dist/cli.js): runs dist/tend.js, the program
// (src/cli.ts), with V8's code cache (src/kit/code-cache.ts). From source,
// run src/cli.ts itself.
import { fileURLToPath } from 'node:url';
import { runCached } from './kit/code-cache.js';
import { stateRoot } from './kit/state/paths.js';
import { tendVersion } from './version.js';

declare const __TEND_BUILD__: string;

runCached(fileURLToPath(new URL('tend.js', import.meta.url)), {
  name: 'tend',
  version: tendVersion(),
  build: __TEND_BUILD__,
  stateRoot: () => stateRoot({ name: 'tend' }),
  // This bundle's own require (CommonJS): dist/, where the program's vendor/ is.
  require,
});
