#!/usr/bin/env node
// The chaos and security suite as a table: races, crash points, disk
// trouble, the lock, bad state files, the GraphQL endpoint under abuse,
// security checks and a soak. Every case runs dist/cli.js (or
// $TEND_CHAOS_CLI) in its own temp state dir and project, port 0, and kills
// by pid whatever it started. Cases that mostly wait run beside the others.
// Usage: node scripts/chaos.mjs [--profile short|long] [--only SUBSTR[,SUBSTR]] [--markdown] [--json]
// (--markdown adds the table for the README; --json prints only the results as JSON)
// Exit: 1 when a case fails that is not a known bug (test/chaos/known.mjs).
// The cases live in test/chaos (the node:test suite runs their `ci` profile)
// on the shared harness, test/helpers, loaded through scripts/harness.mjs.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import './harness.mjs';

const { CASES, cliPath, KNOWN, profile, runCase } = await import('../test/chaos/index.mjs');

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'short' },
    only: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const p = profile(values.profile);
const cli = cliPath();
if (!existsSync(cli)) {
  console.error(`chaos: ${cli} is missing; run 'npm run build' first`);
  process.exit(1);
}
if (process.getuid?.() !== 0) console.error('chaos: not root: the disk cases (tmpfs mounts) will be skipped');
const filters = values.only?.split(',').filter(Boolean) ?? [];
const selected = CASES.filter((c) => filters.length === 0 || filters.some((f) => c.id.includes(f)));
if (selected.length === 0) {
  console.error(`chaos: no case matches ${values.only}`);
  process.exit(1);
}

const started = Date.now();
console.error(`chaos: ${selected.length} cases, profile ${p.name}, cli ${cli} (built ${statSync(cli).mtime.toISOString()})`);
const lanes = new Map();
for (const c of selected) lanes.set(c.lane, [...(lanes.get(c.lane) ?? []), c]);
const results = new Map();
await Promise.all(
  [...lanes.values()].map(async (list) => {
    for (const c of list) {
      const r = await runCase(c, p);
      results.set(c.id, r);
      console.error(`  ${r.status.toUpperCase().padEnd(5)} ${c.id} (${(r.ms / 1000).toFixed(1)} s)`);
    }
  }),
);
const ordered = selected.map((c) => results.get(c.id));
const seconds = (Date.now() - started) / 1000;

if (values.json) {
  console.log(JSON.stringify({ profile: p.name, seconds, results: ordered }, null, 2));
} else {
  console.log(text(ordered));
  if (values.markdown) console.log(`\n${markdown(ordered)}`);
}
const count = (s) => ordered.filter((r) => r.status === s).length;
console.log(`\n${ordered.length} cases in ${seconds.toFixed(0)} s (profile ${p.name}): ${count('pass')} pass, ${count('fail')} fail, ${count('known')} known bugs, ${count('xpass')} fixed (remove from known.mjs), ${count('skip')} skipped`);
process.exitCode = count('fail') ? 1 : 0;

function text(rows) {
  const out = [];
  let group = '';
  for (const r of rows) {
    if (r.group !== group) out.push(`\n== ${(group = r.group)} ==`);
    out.push(`${r.status.toUpperCase().padEnd(5)} ${r.id.padEnd(34)} ${r.title}`);
    if (r.figures) out.push(`      ${r.figures}`);
    for (const n of r.notes) out.push(`      note: ${n}`);
    if (r.skipped) out.push(`      skipped: ${r.skipped}`);
    if (r.status === 'known' || r.status === 'xpass') out.push(`      known bug: ${KNOWN[r.id]}`);
    if (r.status === 'fail' || r.status === 'known') for (const f of r.failures.slice(0, 6)) out.push(`      ✗ ${f.split('\n')[0].slice(0, 400)}`);
  }
  return out.join('\n');
}

function markdown(rows) {
  const esc = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
  const out = ['| group | case | result | figures |', '|---|---|---|---|'];
  for (const r of rows) {
    const result = r.status === 'known' ? `known bug: ${KNOWN[r.id]}` : r.status === 'skip' ? `skipped: ${r.skipped}` : r.status;
    out.push(`| ${esc(r.group)} | ${esc(r.title)} | ${esc(result)} | ${esc(r.figures)} |`);
  }
  return out.join('\n');
}
