import { defineDaemon } from './kit/define.js';
import { tendVersion } from './version.js';

/** Files that mark a tend project root. */
export const PROJECT_MARKERS = ['tend.yaml', 'tend.yml', 'Procfile'] as const;

/** tend itself, as a daemon built on the kit. */
export const tend = defineDaemon({
  name: 'tend',
  version: tendVersion(),
  projectMarkers: PROJECT_MARKERS,
  load: async () => (await import('./daemon/tend-app.js')).tendApp,
  reap: async () => (await import('./daemon/reap.js')).reapServices,
});
