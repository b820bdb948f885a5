// Every chaos case, in table order, with where it runs: `ci: false` keeps a
// case out of `npm test` (too slow: it waits out timeouts); `lane` lets the
// runner overlap cases that mostly wait with the CPU-heavy ones.
import { concurrentStarts, mixedStorm } from './races.mjs';
import { crashCases } from './crash.mjs';
import { fullBeforeStart, fullUnderOutput, fullWhileRunning, readOnlyRoot, readOnlyStale, readOnlyUnderDaemon, stateDeleted } from './disk.mjs';
import { clockJumps, deadOwner, orphanLock, pausedOwner } from './lock.mjs';
import { garbageOverLive, metadataCases } from './metadata.mjs';
import { aliasFlood, contentTypes, deepQueries, hugeBodies, malformed, methods, rssBound } from './http.mjs';
import { connectionFlood, slowLoris } from './slow.mjs';
import { fileModes, hostOrigin, introspection, plantedState, plantedSymlinks, tokenCheck, tokenSecrecy, unsafeDirs } from './security.mjs';
import { inputCases } from './inputs.mjs';
import { soakCase } from './soak.mjs';
import { epipeRun, hangupRun } from './terminal.mjs';
import { frozenDaemon } from './frozen.mjs';
import { leftoverCases } from './leftovers.mjs';

export { profile, runCase, stats } from './case.mjs';
export { KNOWN } from './known.mjs';
export { cliPath } from '../helpers/cli.ts';

const notInCi = (c) => ({ ...c, ci: false });
// npm test keeps to a minute: a representative few of the bad daemon.json variants.
const IN_CI_BAD_STATE = new Set(['random-bytes', 'wrong-types', 'pid--1', 'pid-4194305', 'stranger-reused', 'stranger-start-time-matches', 'symlink', 'directory'].map((v) => `bad-state.${v}`));

/** All cases, in the order of the table. */
export const CASES = [
  concurrentStarts,
  mixedStorm,
  ...crashCases,
  ...leftoverCases,
  readOnlyRoot,
  readOnlyStale,
  readOnlyUnderDaemon,
  fullBeforeStart,
  fullWhileRunning,
  fullUnderOutput,
  stateDeleted,
  hangupRun,
  epipeRun,
  pausedOwner,
  frozenDaemon,
  deadOwner,
  orphanLock,
  notInCi(clockJumps),
  ...metadataCases.map((c) => (IN_CI_BAD_STATE.has(c.id) ? c : notInCi(c))),
  garbageOverLive,
  malformed,
  contentTypes,
  hugeBodies,
  deepQueries,
  notInCi(aliasFlood),
  methods,
  notInCi(rssBound),
  slowLoris,
  notInCi(connectionFlood),
  tokenCheck,
  tokenSecrecy,
  hostOrigin,
  introspection,
  unsafeDirs,
  fileModes,
  plantedSymlinks,
  plantedState,
  ...inputCases,
  soakCase,
].map((c) => ({ ci: true, ...c, lane: laneOf(c) }));

// Three lanes run side by side, each case after the other within its lane:
// the CPU-heavy races and request floods in one, and in the others the cases
// that mostly wait (a SIGSTOPped daemon, slow-loris, clock jumps, the soak),
// each followed by shorter groups to balance the lanes.
function laneOf(c) {
  if (['lock.paused-owner', 'http.slow-loris', 'stop.stubborn-service', 'leftovers.killed-mid-stop'].includes(c.id) || c.group === 'Crash points') return 'b';
  if (['lock.clock-jump', 'bad-state.stranger-owner-too', 'soak.status-and-restarts', 'lock.dead-owner', 'lock.orphan-dir'].includes(c.id) || c.group === 'Security') return 'c';
  return 'a';
}
