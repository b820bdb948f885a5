// The shared harness (test/helpers/harness.ts, TypeScript) for the plain-JS
// scripts (bench, chaos, soak): registers tsx unless node already runs with
// it, then loads the harness. Static imports of .ts files would be resolved
// before any registration runs, so everything TypeScript loads after this.
import { register } from 'tsx/esm/api';

const KEY = Symbol.for('tend.harness.tsx');
if (!globalThis[KEY] && !process.execArgv.some((a) => a.includes('tsx'))) {
  register();
  globalThis[KEY] = true;
}

/** The harness's exports (see test/helpers/harness.ts). */
export const harness = await import('../test/helpers/harness.ts');

