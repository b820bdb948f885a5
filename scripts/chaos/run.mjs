// One scenario's sandbox: its own temp state root and project dir, the CLI
// run as a user would (dist/cli.js), and a teardown that kills by pid
// everything the scenario started, unmounts what it mounted, and removes
// the dirs. Nothing here touches processes it cannot tie to this run.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alive, procState, scanDaemons, scanRunProcesses, sleep, waitGone } from './proc.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The CLI under test: $TEND_CHAOS_CLI, else the repo's dist/cli.js. */
export function cliPath() {
  return process.env.TEND_CHAOS_CLI || join(REPO, 'dist', 'cli.js');
}

/** Exit codes CONTRACT documents for each command. */
export const DOCUMENTED_EXITS = { start: [0, 1], stop: [0, 1], status: [0, 1, 3, 4], restart: [0, 1], logs: [0] };

/** A Node stack trace in output means an error escaped the CLI's boundary. */
export function hasStackTrace(text) {
  return /\n\s+at .+:\d+:\d+\)?\s*(\n|$)/.test(text);
}

/**
 * Runs `fn(run)` in a fresh sandbox and always tears it down. `run` offers:
 * dirs and env, `cli(args, opts)`, `spawnCli(args, opts)`, `spawnHelper(...)`,
 * `daemons()` (live daemon pids of this run, /proc scan), `instanceDir`,
 * `metadata()`, `mount(...)`.
 */
export async function withRun(name, fn) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `tend-chaos-${name}-`)));
  const run = makeRun(root);
  try {
    return await fn(run);
  } finally {
    await teardown(run);
  }
}

function makeRun(root) {
  const stateDir = join(root, 'state');
  const projectDir = join(root, 'project');
  mkdirSync(projectDir, { recursive: true });
  const env = { ...process.env, TEND_STATE_DIR: stateDir, NO_COLOR: '1' };
  for (const k of ['TEND_DIR', 'XDG_STATE_HOME', 'TEND_TEST_FAULT', 'TEND_GRAPHQL_INTROSPECTION', 'NODE_OPTIONS']) delete env[k];
  const run = {
    root,
    stateDir,
    projectDir,
    env,
    tracked: new Set(),
    mounts: [],
    get instanceDir() {
      return instanceDirOf(run.stateDir, run.projectDir);
    },
    file: (name) => join(run.instanceDir, name),
    cli: (args, opts = {}) => runCli(run, args, opts),
    spawnCli: (args, opts = {}) => {
      const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), cliPath(), ...args], {
        cwd: opts.cwd ?? run.projectDir,
        env: { ...run.env, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      trackChild(run, child);
      return child;
    },
    /** Spawns a helper process (e.g. a stranger whose pid is planted), killed in teardown. */
    spawnHelper: (cmd, args, opts = {}) => {
      const child = spawn(cmd, args, { stdio: 'ignore', ...opts });
      trackChild(run, child);
      return child;
    },
    daemons: () => scanDaemons(run.env.TEND_STATE_DIR),
    /** Every live process of this run (CLIs, daemons, services), by environment. */
    processes: () => scanRunProcesses(run.env.TEND_STATE_DIR),
    metadata: () => {
      try {
        return JSON.parse(readFileSync(run.file('daemon.json'), 'utf8'));
      } catch {
        return null;
      }
    },
    /** Files left in the instance dir, the log excepted. */
    leftovers: () => {
      try {
        return readdirSync(run.instanceDir).filter((f) => f !== 'daemon.log').sort();
      } catch {
        return [];
      }
    },
    mount: (dir, options) => {
      mkdirSync(dir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
      run.mounts.push(dir);
    },
    /** Remounts with `options` (e.g. `ro`); retries while the kernel says busy (a just-killed process's files). */
    remount: async (dir, options, timeoutMs = 3_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          return execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' });
        } catch (err) {
          if (!/busy/i.test(String(err.stderr)) || Date.now() > deadline) throw err;
          await sleep(100);
        }
      }
    },
  };
  return run;
}

/** `<root>/<basename>-<8 hex of sha256(realpath)>` (CONTRACT, Names and places). */
export function instanceDirOf(stateDir, projectDir) {
  const real = realpathSync(projectDir);
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 8);
  return join(stateDir, `${basename(real) || 'root'}-${hash}`);
}

// A pid is tracked only while its process has not been reaped: after that
// the number may belong to anyone.
function trackChild(run, child) {
  if (!child.pid) return;
  const pid = child.pid;
  run.tracked.add(pid);
  child.once('exit', () => run.tracked.delete(pid));
}

/** Result: { args, code, signal, stdout, stderr, ms, timedOut }. */
function runCli(run, args, opts) {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = Date.now();
  const argv = [...(opts.nodeArgs ?? []), cliPath(), ...args];
  // `isolate`: in a fresh pid namespace and its own process group, so a
  // kill(-1) or kill(0) by a buggy tend could only hit itself, not this machine.
  const [cmd, cmdArgs] = opts.isolate ? ['unshare', ['--pid', '--fork', '--mount-proc', process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(cmd, cmdArgs, {
    cwd: opts.cwd ?? run.projectDir,
    env: { ...run.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: Boolean(opts.isolate),
  });
  trackChild(run, child);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => (stderr += String(err)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
}

/** The pid `start --json` / `status --json` printed, or null. */
export function jsonPid(res) {
  try {
    const lines = res.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]).pid ?? null;
  } catch {
    return null;
  }
}

/** One line describing a CLI result, for failure details. */
export function describe(res) {
  const err = res.stderr.trim().split('\n').slice(0, 3).join(' | ');
  const how = res.timedOut ? 'TIMED OUT' : res.signal ? `signal ${res.signal}` : `exit ${res.code}`;
  return `tend ${res.args.join(' ')} -> ${how} in ${res.ms} ms${err ? `; stderr: ${err.slice(0, 300)}` : ''}`;
}

async function teardown(run) {
  // Only processes tied to this run: the ones it spawned, and processes
  // (daemons, services) whose environment names its unique state dir. Pids
  // read from (possibly planted) state files are never trusted here.
  const victims = new Set([...run.tracked, ...scanRunProcesses(run.env.TEND_STATE_DIR)]);
  for (const pid of victims) {
    if (!alive(pid) && procState(pid) !== 'T') continue;
    for (const sig of ['SIGCONT', 'SIGKILL']) {
      try {
        process.kill(pid, sig);
      } catch {
        // Gone already.
      }
    }
  }
  await Promise.all([...victims].map((pid) => waitGone(pid, 5_000)));
  for (const dir of run.mounts.reverse()) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    } catch {
      // Already unmounted.
    }
  }
  for (let i = 0; i < 3 && existsSync(run.root); i++) {
    try {
      rmSync(run.root, { recursive: true, force: true });
    } catch {
      await sleep(100);
    }
  }
}
