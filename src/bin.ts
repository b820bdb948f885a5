#!/usr/bin/env node
// The bin of the build (dist/cli.js): runs the program (src/cli.ts) with
// V8's code cache (src/kit/code-cache.ts): dist/tend.js for the commands,
// which require their heavy dependencies from dist/vendor/ when they need
// them, or dist/daemon.js in daemon mode, the same program with everything
// inlined and tree-shaken (the daemon needs most of it, and one tree-shaken
// file is ~0.7 MB less to compile and hold than tend.js and its vendor files).
// From source, run src/cli.ts itself.
import { fileURLToPath } from 'node:url';
import { runCached } from './kit/code-cache.js';
import { isDaemonLaunch } from './kit/lifecycle/daemon-command.js';
import { stateRoot } from './kit/state/paths.js';
import { tendVersion } from './version.js';

declare const __TEND_BUILD__: string;

runCached(fileURLToPath(new URL(isDaemonLaunch('tend') ? 'daemon.js' : 'tend.js', import.meta.url)), {
  name: 'tend',
  version: tendVersion(),
  build: __TEND_BUILD__,
  stateRoot: () => stateRoot({ name: 'tend' }),
  // This bundle's own require (CommonJS): dist/, where the program's vendor/ is.
  require,
});
