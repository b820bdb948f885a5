#!/usr/bin/env node
// `npm run bench`: tend's performance figures in one run, each as the median
// of several runs and, for process timings, as a ratio to `node -e 0` timed
// alternately in the same run (A B A B, ratio pair by pair). Prints a Markdown
// table and writes the figures as JSON.
//
//   node scripts/bench.mjs [--runs N] [--quick] [--only a,b] [--json FILE]
//                          [--peers] [--peers-dir DIR] [--cli PATH] [--keep] [--strict]
//
// Figures: status start stop restart help query rss rss-services crash-restart
// crash-ready logs watch-cost watch-latency logs-read stop-services ports start-ports. It measures a snapshot of dist/ (copied to a temp dir, so a
// rebuild during the run cannot break it); --cli PATH measures another build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FIGURES, row } from './bench/figures.mjs';
import { abDefaults, removeSandboxes, sweep, tendCli } from './bench/lib.mjs';
import { DEFAULT_PEERS_DIR, loadPeers, runPeers } from './bench/peers.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    json: { type: 'string' },
    peers: { type: 'boolean', default: false },
    'peers-dir': { type: 'string', default: DEFAULT_PEERS_DIR },
    cli: { type: 'string' },
    keep: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    connections: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log(
    `usage: node scripts/bench.mjs [--runs N] [--quick] [--only ${Object.keys(FIGURES).join(',')}]\n` +
      '                              [--json FILE] [--peers] [--peers-dir DIR] [--cli PATH] [--keep] [--strict]',
  );
  process.exit(0);
}
const log = (m) => process.stderr.write(`${m}\n`);
const only = opt.only ? new Set(opt.only.split(',').map((s) => s.trim()).filter(Boolean)) : null;
for (const name of only ?? []) {
  if (!FIGURES[name]) {
    log(`unknown figure "${name}"; figures: ${Object.keys(FIGURES).join(', ')}`);
    process.exit(2);
  }
}
const quick = opt.quick;
const ctx = {
  quick,
  cliRuns: opt.runs ? Number(opt.runs) : quick ? 3 : 15,
  rssRuns: quick ? 1 : 3,
  loadRuns: quick ? 1 : 3,
  loadMs: quick ? 1000 : 4000,
  connections: opt.connections ? Number(opt.connections) : 8,
  crashRuns: quick ? 2 : 5,
  logRuns: quick ? 1 : 3,
  logMiB: quick ? 8 : 24,
};
abDefaults.warmup = !quick;

// ------------------------------------------------------------ the CLI under test
let snapshot = null;
function prepareCli() {
  if (opt.cli) return resolve(opt.cli);
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    log('dist/cli.js is missing: building it (npx tsup) …');
    const r = spawnSync('npx', ['tsup', '--silent'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(cli)) throw new Error('build failed; run `npm run build`');
  }
  // A copy with its package.json (for "type": "module"), immune to concurrent
  // rebuilds; retried while a rebuild in progress leaves dist/ incomplete.
  for (let attempt = 1; ; attempt++) {
    snapshot = mkdtempSync(join(tmpdir(), 'tend-bench-cli-'));
    try {
      cpSync(join(root, 'package.json'), join(snapshot, 'package.json'));
      cpSync(join(root, 'dist'), join(snapshot, 'dist'), { recursive: true });
      // The one dependency left outside the bundle (the native @parcel/watcher) resolves from here, as from an install.
      symlinkSync(join(root, 'node_modules'), join(snapshot, 'node_modules'), 'dir');
      const r = spawnSync(process.execPath, [join(snapshot, 'dist', 'cli.js'), '--help'], { stdio: 'ignore', timeout: 20_000 });
      if (r.status === 0) return join(snapshot, 'dist', 'cli.js');
    } catch {}
    rmSync(snapshot, { recursive: true, force: true });
    if (attempt === 5) throw new Error('dist/ does not run (`node dist/cli.js --help` fails): run `npm run build`');
    spawnSync('sleep', ['3']);
  }
}

function cleanup() {
  const killed = sweep();
  removeSandboxes(opt.keep);
  if (snapshot && !opt.keep) rmSync(snapshot, { recursive: true, force: true });
  return killed;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`\n${sig}: cleaning up`);
    cleanup();
    process.exit(130);
  });
}

// ------------------------------------------------------------ formatting
const num = (x, d) => (x == null ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
function fmt(v, unit) {
  if (v == null) return '—';
  if (unit === 'ms') return `${num(v, v < 100 ? 1 : 0)} ms`;
  if (unit === 'MiB') return `${num(v, 1)} MiB`;
  if (unit === '%') return `${num(v, 2)} %`;
  if (unit === 'MiB/s') return `${num(v, 0)} MiB/s`;
  if (unit === 'req/s') return `${num(v, 0)} req/s`;
  return `${num(v, 0)} ${unit}`;
}
const ratio = (r) => (r == null ? '—' : `${num(r, 2)}×`);

function mainTable(rows) {
  const out = [
    '| figure | tend (median) | min–max | baseline (median) | ratio | target | met? |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (r.error) {
      out.push(`| ${r.label} | n/a (${r.error.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 160)}) | — | — | — | ${r.target ?? '—'} | — |`);
      continue;
    }
    const range = r.min != null && r.n > 1 ? `${fmt(r.min, r.unit)} – ${fmt(r.max, r.unit)}` : '—';
    const base = r.baseline != null ? `${fmt(r.baseline, r.unit)} (${r.baselineLabel})` : r.details?.note ? `— (${r.details.note})` : '—';
    const met = r.met == null ? '—' : r.met ? 'yes' : '**NO**';
    out.push(`| ${r.label} | ${fmt(r.value, r.unit)} | ${range} | ${base} | ${ratio(r.ratio)} | ${r.target ?? '—'} | ${met} |`);
  }
  return out.join('\n');
}

function peersTable(tendRows, peerRows, names) {
  const ids = [
    ['status', 'status (daemon up)'],
    ['start', 'start'],
    ['stop', 'stop'],
    ['rss', 'idle daemon RSS'],
    ['rss-per-service', 'RSS per extra service'],
    ['crash-restart', 'crash → restarted'],
  ];
  const cell = (r) => {
    if (!r) return '—';
    if (r.error) return `n/a (${r.error.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 60)})`;
    return r.ratio != null && r.baselineLabel === 'node -e 0' ? `${fmt(r.value, r.unit)} (${ratio(r.ratio)})` : fmt(r.value, r.unit);
  };
  const out = [`| figure | tend | ${names.join(' | ')} |`, `|---|---|${names.map(() => '---').join('|')}|`];
  for (const [id, label] of ids) {
    const t = tendRows.find((r) => r.id === id);
    out.push(`| ${label} | ${cell(t)} | ${names.map((n) => cell(peerRows.find((r) => r.peer === n && r.id === id))).join(' | ')} |`);
  }
  return `${out.join('\n')}\n\nCLI cells: median (ratio to node -e 0 in the same run). forever has no central daemon: its RSS is one app's monitor process.`;
}

// ------------------------------------------------------------ run
const started = Date.now();
const rows = [];
let peerRows = [];
let peerErrors = {};
let killed = [];
try {
  tendCli.path = prepareCli();
  const peers = loadPeers({ dir: opt['peers-dir'], install: opt.peers, log });
  peerErrors = peers.errors;
  // Without --peers, an eslint_d already installed in the peers dir still gives the RSS baseline.
  ctx.peerTools = peers.tools;
  log(`bench: ${tendCli.path}${quick ? ' (quick)' : ''}, ${ctx.cliRuns} runs per CLI figure`);
  for (const [name, fn] of Object.entries(FIGURES)) {
    if (only && !only.has(name)) continue;
    const t0 = Date.now();
    try {
      rows.push(...(await fn(ctx)));
    } catch (e) {
      rows.push(row({ id: name, label: name, value: null, error: e.message }));
    }
    log(`  ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s${rows.at(-1)?.error ? ` — n/a: ${rows.at(-1).error}` : ''}`);
  }
  if (opt.peers) peerRows = await runPeers(peers.tools, ctx, only, log);
} finally {
  killed = cleanup();
}

const meta = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  cli: opt.cli ?? 'dist/cli.js (snapshot)',
  builtAt: existsSync(join(root, 'dist', 'cli.js')) ? statSync(join(root, 'dist', 'cli.js')).mtime.toISOString() : null,
  commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).stdout?.toString().trim() || null,
  options: { ...ctx, peerTools: undefined },
  seconds: Math.round((Date.now() - started) / 100) / 10,
  leftoverProcessesKilled: killed,
};

let text = `## tend bench (${meta.date}, node ${meta.node}, ${meta.cpus}${quick ? ', --quick' : ''})\n\n${mainTable(rows)}\n`;
if (opt.peers) {
  const names = ['pm2', 'forever', 'eslint_d'];
  text += `\n### Side by side\n\n${peersTable(rows, peerRows, names)}\n`;
  for (const [n, e] of Object.entries(peerErrors)) text += `\n${n}: skipped (${e})`;
}
console.log(text);
const unmet = rows.filter((r) => r.met === false).map((r) => r.id);
const errors = rows.filter((r) => r.error).map((r) => r.id);
log(`${meta.seconds} s; targets missed: ${unmet.join(', ') || 'none'}; n/a: ${errors.join(', ') || 'none'}`);
if (killed.length) log(`killed leftover processes: ${killed.join(', ')}`);

const jsonFile = opt.json ? resolve(opt.json) : join(root, 'bench-results', 'bench.json');
mkdirSync(dirname(jsonFile), { recursive: true });
writeFileSync(jsonFile, `${JSON.stringify({ meta, figures: rows, peers: peerRows, peerErrors }, null, 2)}\n`);
log(`wrote ${jsonFile}`);
if (opt.strict && (unmet.length || errors.length)) process.exitCode = 1;
