// The one harness that tests (test/), the chaos suite (test/chaos, run by
// `npm run chaos`) and the benchmark (scripts/bench) share, one module per
// concept: sandbox.ts (a temp state root and project dir), tracker.ts (the
// processes it started, killed by pid), proc.ts (a zombie counts as exited),
// proc-scan.ts (finding a sandbox's processes), cli.ts (the built CLI, run as
// a user would), ask.ts (asking the daemon), raw-http.ts (byte-exact
// requests), ports.ts, pty.ts, wait.ts, child.ts, kit.ts (the daemon in a
// sandbox). Tests alone use ps.ts (`tend ps --json`, typed by the daemon's
// ServiceInfo) and browser.ts (chromium: not loaded by the scripts).
//
// It is TypeScript run through tsx, and asks the daemon with the kit's own
// client from src/kit/client, not from dist/: one definition of the client,
// the status query and the paths for the tests of those very modules and
// for the harness, and no build needed for the unit tests. The daemon under
// test is always the built dist/cli.js (or another build: TEND_TEST_CLI).
// Plain-JS scripts load it through scripts/harness.mjs, which registers tsx.
export * from './ask.js';
export * from './child.js';
export * from './cli.js';
export * from './kit.js';
export * from './ports.js';
export * from './proc.js';
export * from './proc-scan.js';
export * from './pty.js';
export * from './raw-http.js';
export * from './sandbox.js';
export * from './tracker.js';
export * from './wait.js';
