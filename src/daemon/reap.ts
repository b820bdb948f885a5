import type { ReapHook } from '../kit/define.js';
import { reapOrphans } from '../services/process/orphans.js';

/** How many services a summary names before it says "and N more". */
const NAMED = 10;

/**
 * tend's reap hook (DaemonDefinition.reap): stops the service processes a
 * daemon that is gone left running, as services.json records them, and names
 * them: `stopped 4 service processes left running: web (pid 12, 13), db (pid 14)`.
 */
export const reapServices: ReapHook = async ({ paths, graceMs, log }) => {
  const result = await reapOrphans(paths.dir, { timeoutMs: graceMs, log });
  const services = [...result.byService];
  const named = services.slice(0, NAMED).map(([name, pids]) => `${name} (pid ${pids.join(', ')})`);
  if (services.length > NAMED) named.push(`and ${services.length - NAMED} more services`);
  const n = result.killed.length;
  const summary = n ? `stopped ${n} service process${n === 1 ? '' : 'es'} left running: ${named.join(', ')}` : '';
  return { stopped: n, summary, survivors: result.survivors };
};
