// A sandbox: one temp state root and project dir for a test, a chaos case or
// a benchmark, the CLI run in it as a user would, and a teardown that kills
// by pid whatever it started (see tracker.ts), runs its own cleanups, and
// removes the dirs. Only processes tied to it are touched: the ones it
// spawned and those whose environment names its unique state root; pids read
// from state files (which a test may plant) are never trusted.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { envPrefix, instancePaths, type InstancePaths } from '../../src/kit/state/paths.js';
import { runCli, spawnCli, type CliOptions, type CliResult } from './cli.js';
import { sandboxDaemons, sandboxProcesses } from './proc-scan.js';
import { ProcessTracker } from './tracker.js';

/** Per-run overrides of a CLI run in a sandbox. */
export type SandboxCliOptions = Partial<Pick<CliOptions, 'cwd' | 'cli' | 'nodeArgs' | 'timeoutMs' | 'isolate'>> & { env?: NodeJS.ProcessEnv };

/** Options of createSandbox. */
export interface SandboxOptions {
  /** The tool under test (names its `<NAME>_STATE_DIR`). Default `tend`. */
  tool?: string;
  /** Prefix of the temp dir's name. Default `tend-test-`. */
  prefix?: string;
  /** The project dir's name (it names the instance dir). Default `project`. */
  projectName?: string;
  /** Files to write under the project dir. */
  files?: Record<string, string>;
  /** The CLI every run uses (default cliPath()). */
  cli?: string;
  /** Default deadline of `cli()`. Default 60 s. */
  cliTimeoutMs?: number;
}

/** A temp state root and project dir, and what runs in them. */
export interface Sandbox {
  root: string;
  stateDir: string;
  projectDir: string;
  /** The environment every CLI run gets (`<NAME>_STATE_DIR` set; may be changed). */
  env: NodeJS.ProcessEnv;
  tracker: ProcessTracker;
  /** The instance's files, as the kit lays them out. */
  paths: () => InstancePaths;
  /** The instance dir. */
  readonly instanceDir: string;
  /** A file in the instance dir. */
  file: (name: string) => string;
  /** daemon.json, parsed; null when missing or not JSON. */
  metadata: () => Record<string, any> | null;
  /** Files left in the instance dir, the daemon log excepted. */
  leftovers: () => string[];
  /** Runs `tend ARGS` to completion; a run past its deadline is SIGKILLed and says `timedOut`. */
  cli: (args: string[], options?: SandboxCliOptions) => Promise<CliResult>;
  /** Spawns `tend ARGS` (tracked). */
  spawnCli: (args: string[], options?: SandboxCliOptions) => ChildProcess;
  /** Spawns any helper process (tracked). */
  spawnHelper: (cmd: string, args: string[], options?: SpawnOptions) => ChildProcess;
  /** Writes a file under the project dir; returns its path. */
  write: (rel: string, text: string) => string;
  /** Records a pid this sandbox started, to be killed in teardown. */
  track: (pid: number) => void;
  /** Live daemons of this sandbox (by environment and daemon mode). */
  daemons: () => number[];
  /** Every live process of this sandbox: CLIs, daemons, services. */
  processes: () => number[];
  /** Runs `fn` in teardown, after the processes are gone (last registered first). */
  onDispose: (fn: () => void | Promise<void>) => void;
  /** Kills what the sandbox started, runs its cleanups, removes its dirs; returns what it had to kill. */
  dispose: () => Promise<string[]>;
}

// The environment of the machine, minus what would point a run elsewhere or
// change what it does (a fault hook, a debugging option).
const DROPPED_ENV = ['_DIR', '_TEST_FAULT', '_GRAPHQL_INTROSPECTION'];

/** Makes a sandbox; the caller disposes of it. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), options.prefix ?? 'tend-test-')));
  const stateDir = join(root, 'state');
  const projectDir = join(root, options.projectName ?? 'project');
  mkdirSync(projectDir, { recursive: true });
  const stateVar = `${envPrefix(options.tool ?? 'tend')}_STATE_DIR`;
  const env: NodeJS.ProcessEnv = { ...process.env, [stateVar]: stateDir, NO_COLOR: '1' };
  for (const k of DROPPED_ENV) delete env[envPrefix(options.tool ?? 'tend') + k];
  for (const k of ['XDG_STATE_HOME', 'NODE_OPTIONS']) delete env[k];
  const tracker = new ProcessTracker();
  const cleanups: (() => void | Promise<void>)[] = [];
  // A case may point the state dir elsewhere (a symlink to it): scan for both.
  const stateDirs = () => [...new Set([stateDir, box.env[stateVar] ?? stateDir])];
  const cliOptions = (o: SandboxCliOptions): CliOptions => ({
    cli: options.cli,
    timeoutMs: options.cliTimeoutMs,
    ...o,
    cwd: o.cwd ?? projectDir,
    env: { ...box.env, ...o.env },
    tracker,
  });
  const box: Sandbox = {
    root,
    stateDir,
    projectDir,
    env,
    tracker,
    paths: () => instancePaths(stateDir, projectDir),
    get instanceDir() {
      return box.paths().dir;
    },
    file: (name) => join(box.instanceDir, name),
    metadata: () => readJson(box.paths().metadataFile),
    leftovers: () => {
      try {
        return readdirSync(box.instanceDir).filter((f) => f !== 'daemon.log').sort();
      } catch {
        return [];
      }
    },
    cli: (args, o = {}) => runCli(args, cliOptions(o)),
    spawnCli: (args, o = {}) => spawnCli(args, cliOptions(o)),
    spawnHelper: (cmd, args, o = {}) => tracker.trackChild(spawn(cmd, args, { stdio: 'ignore', ...o }), cmd),
    write: (rel, text) => {
      const file = join(projectDir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    track: (pid) => tracker.track(pid),
    daemons: () => stateDirs().flatMap((d) => sandboxDaemons(d, stateVar)),
    processes: () => stateDirs().flatMap((d) => sandboxProcesses(d, stateVar)),
    onDispose: (fn) => void cleanups.push(fn),
    dispose: async () => {
      // Again while any is found: a daemon may have spawned a service between a scan and its kill.
      const killed = await tracker.killAll({ also: box.processes() });
      for (let i = 0, more = box.processes(); i < 3 && more.length > 0; i++, more = box.processes()) killed.push(...(await tracker.killAll({ also: more })));
      for (const fn of cleanups.reverse()) await fn();
      removeDir(root);
      return killed;
    },
  };
  for (const [rel, text] of Object.entries(options.files ?? {})) box.write(rel, text);
  return box;
}

/**
 * A sandbox for one node:test test, disposed in its teardown. Its `cli`
 * rejects when a run passes its deadline (a test must not read a killed
 * run's exit as the command's answer).
 */
export function makeSandbox(t: TestContext, files: Record<string, string> = {}, options: SandboxOptions = {}): Sandbox {
  const box = createSandbox({ ...options, files });
  t.after(() => box.dispose());
  const report = box.cli;
  box.cli = async (args, o) => {
    const r = await report(args, o);
    if (r.timedOut) throw new Error(`tend ${args.join(' ')} did not finish in ${o?.timeoutMs ?? 60_000} ms\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r;
  };
  return box;
}

/** Runs `fn` in a fresh sandbox and always disposes of it. */
export async function withSandbox<T>(options: SandboxOptions, fn: (box: Sandbox) => Promise<T>): Promise<T> {
  const box = createSandbox(options);
  try {
    return await fn(box);
  } finally {
    await box.dispose();
  }
}

// A process killed a moment ago may still be closing a file in the tree.
function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
}

function readJson(file: string): Record<string, any> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
