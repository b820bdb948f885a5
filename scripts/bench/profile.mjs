#!/usr/bin/env node
// Where does a tend command spend its time? Runs `node --cpu-prof dist/cli.js
// ARGS…` a few times (with a daemon up, in its own sandbox), and sums self
// time by bundled module (esbuild's `// node_modules/x/…` / `// src/…` region
// comments in each chunk), by file, and by function.
//
//   node scripts/bench/profile.mjs [--runs N] [--cli PATH] [--top N] [--no-daemon] -- status
//   node scripts/bench/profile.mjs --runs 1 --load 3000 -- start   (daemon profile under the status-query load)
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_DIR, NODE, STATUS_QUERY, readMeta, runNode, removeSandboxes, sandbox, startTend, stopTend, sweep, tendCli, timeProc } from './lib.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    cli: { type: 'string' },
    top: { type: 'string', default: '15' },
    'no-daemon': { type: 'boolean', default: false },
    load: { type: 'string' },
  },
});
const args = positionals.length ? positionals : ['status'];
tendCli.path = resolve(opt.cli ?? fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));

/** For a bundled file: sorted [line, module] starts from esbuild's region comments. */
const regionCache = new Map();
function regions(file) {
  if (!regionCache.has(file)) {
    const starts = [];
    try {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((l, i) => {
          const m = /^\/\/ ((?:node_modules|src)\/\S+)/.exec(l);
          if (m) starts.push([i, m[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')]);
        });
    } catch {}
    regionCache.set(file, starts);
  }
  return regionCache.get(file);
}
function moduleOf(url, line) {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node: internals';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  let mod = basename(file);
  for (const [start, name] of regions(file)) {
    if (start > line) break;
    mod = name;
  }
  return mod;
}

const sb = sandbox('profile');
const profDir = join(sb.root, 'prof');
const baseDir = join(sb.root, 'prof-base');
// A preload that records which built-in modules the process loaded.
const preload = join(sb.root, 'modules.cjs');
writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_MODLIST, JSON.stringify(process.moduleLoadList)));\n`);
const walls = [];
const startsDaemon = ['start', 'restart'].includes(args[0]);
const daemonPids = new Set();
const baseWalls = [];
let mods = [];
let baseMods = [];
try {
  if (!opt['no-daemon'] && args[0] !== 'start') startTend(sb);
  for (let i = 0; i < Number(opt.runs); i++) {
    baseWalls.push(timeProc(NODE, ['--cpu-prof', '--cpu-prof-dir', baseDir, '-e', '0'], { cwd: sb.projectDir, env: sb.env }).ms);
    const r = timeProc(NODE, ['--cpu-prof', '--cpu-prof-dir', profDir, tendCli.path, ...args], { cwd: sb.projectDir, env: sb.env });
    walls.push(r.ms);
    if (startsDaemon) {
      // The daemon inherits --cpu-prof (execArgv); stopping it writes its profile.
      const meta = readMeta(sb);
      if (meta) daemonPids.add(meta.pid);
      if (meta && opt.load) {
        const out = await runNode([join(BENCH_DIR, 'loadgen.mjs'), JSON.stringify({
          url: meta.endpoint, headers: { authorization: `Bearer ${meta.token}` }, body: JSON.stringify({ query: STATUS_QUERY }),
          connections: 8, durationMs: Number(opt.load), warmupMs: 200,
        })]);
        console.log(`load: ${out.trim()}`);
      }
      stopTend(sb);
    }
  }
  const list = join(sb.root, 'mods.json');
  const env = { ...sb.env, BENCH_MODLIST: list };
  timeProc(NODE, ['-r', preload, '-e', '0'], { cwd: sb.projectDir, env });
  baseMods = JSON.parse(readFileSync(list, 'utf8'));
  timeProc(NODE, ['-r', preload, tendCli.path, ...args], { cwd: sb.projectDir, env });
  mods = JSON.parse(readFileSync(list, 'utf8'));
} finally {
  stopTend(sb);
}

function sampled(dir) {
  const fs = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  let t = 0;
  for (const f of fs) t += JSON.parse(readFileSync(join(dir, f), 'utf8')).timeDeltas.reduce((a, b) => a + b, 0) / 1000;
  return t / fs.length;
}
const scripts = new Set();
function aggregate(files) {
  const byModule = new Map();
  const byFile = new Map();
  const byFn = new Map();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(profDir, f), 'utf8'));
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const dt = (p.timeDeltas[i] ?? 0) / 1000;
      const cf = nodes.get(id).callFrame;
      if (cf.url.startsWith('file://')) scripts.add(fileURLToPath(cf.url));
      total += dt;
      const special = cf.functionName.startsWith('(') && !cf.url ? cf.functionName : null;
      const mod = special ?? moduleOf(cf.url, cf.lineNumber);
      byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
      const file = special ?? (cf.url ? basename(cf.url) : '(native)');
      byFile.set(file, (byFile.get(file) ?? 0) + dt);
      const fn = `${cf.functionName || '(anonymous)'} ${cf.url ? `${basename(cf.url)}:${cf.lineNumber + 1}` : ''} [${mod}]`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
    });
  }
  return { byModule, byFile, byFn, total, n: files.length };
}
const all = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
const isDaemon = (f) => daemonPids.has(Number(f.split('.')[3]));
const cli = aggregate(all.filter((f) => !isDaemon(f)));
const daemon = aggregate(all.filter(isDaemon));
const show = (title, m, n) => {
  console.log(`\n${title} (ms per run, self time)`);
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(opt.top))
    .forEach(([k, v]) => console.log(`  ${(v / n).toFixed(1).padStart(7)}  ${k}`));
};
walls.sort((a, b) => a - b);
console.log(`tend ${args.join(' ')}: ${cli.n} profiles, median wall ${walls[walls.length >> 1].toFixed(0)} ms (with --cpu-prof), sampled ${(cli.total / cli.n).toFixed(0)} ms per run`);
baseWalls.sort((a, b) => a - b);
console.log(`node -e 0: median wall ${baseWalls[baseWalls.length >> 1].toFixed(0)} ms (with --cpu-prof), sampled ${sampled(baseDir).toFixed(0)} ms per run`);
const extra = mods.filter((m) => !baseMods.includes(m));
console.log(`\nbuilt-ins and bindings loaded beyond node -e 0: ${extra.length}\n  ${extra.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ')}`);
console.log(`\nfiles of the bundle that ran code: ${[...scripts].map((f) => `${basename(f)} (${(statSync(f).size / 1024).toFixed(0)} KB)`).join(', ')}`);
show('CLI process, by bundled module', cli.byModule, cli.n);
show('CLI process, by file', cli.byFile, cli.n);
show('CLI process, by function', cli.byFn, cli.n);
if (daemon.n) {
  console.log(`\ndaemon processes: ${daemon.n} profiles (whole life: start-up, then idle until stopped), sampled ${(daemon.total / daemon.n).toFixed(0)} ms per run`);
  show('daemon, by bundled module', daemon.byModule, daemon.n);
  show('daemon, by function', daemon.byFn, daemon.n);
}
sweep();
removeSandboxes(false);
