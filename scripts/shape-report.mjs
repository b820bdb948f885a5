#!/usr/bin/env node
// The shape of src/ at one or more revisions, as a Markdown table: files,
// lines, the largest function (name, lines; found with the TypeScript
// compiler API), the files over 200 lines, and the pairs `duplicates` reports.
//
//   node scripts/shape-report.mjs [REV ...]      (no REV, or `.`: the working tree)
//
// A revision's src/ is taken with `git archive` into a temp dir, so the
// working tree is never touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';

const LIMIT = 200;
const root = new URL('..', import.meta.url).pathname;
const revs = process.argv.slice(2).length ? process.argv.slice(2) : ['.'];

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

// Every function-like node with a body, named as a reader would look for it.
function functions(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const nameOf = (node) => {
    if (node.name && ts.isIdentifier(node.name)) {
      const cls = node.parent && (ts.isClassDeclaration(node.parent) || ts.isClassExpression(node.parent)) && node.parent.name ? `${node.parent.name.text}.` : '';
      return cls + node.name.text;
    }
    if (ts.isConstructorDeclaration(node)) return `${node.parent.name?.text ?? 'class'}.constructor`;
    if (node.parent && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
    if (node.parent && ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
    return '(anonymous)';
  };
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: nameOf(node), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function duplicatePairs(dir) {
  const r = spawnSync('duplicates', ['--repo', dir, '--seconds', '120'], { encoding: 'utf8' });
  if (r.error) return 'n/a (no `duplicates` on PATH)';
  const first = r.stdout.split('\n')[0] ?? '';
  if (/^no duplicates/.test(first)) return 0;
  const m = /^(\d+) pairs? /.exec(first);
  return m ? Number(m[1]) : `? (${first})`;
}

function measure(rev) {
  let dir = join(root, 'src');
  let temp = null;
  let label = 'working tree';
  if (rev !== '.') {
    temp = mkdtempSync(join(tmpdir(), 'shape-'));
    const tar = execFileSync('git', ['archive', rev, 'src'], { cwd: root, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', temp], { input: tar });
    dir = join(temp, 'src');
    label = execFileSync('git', ['rev-parse', '--short', rev], { cwd: root, encoding: 'utf8' }).trim();
  }
  try {
    let lines = 0;
    let largest = { name: '-', lines: 0, file: '' };
    const big = [];
    const files = tsFiles(dir);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const n = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      lines += n;
      const rel = relative(dir, file);
      if (n > LIMIT) big.push(`${rel} ${n}`);
      for (const f of functions(file, text)) if (f.lines > largest.lines) largest = { ...f, file: rel };
    }
    return { label, files: files.length, lines, largest, big, duplicates: duplicatePairs(dir) };
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

const results = revs.map(measure);
const rows = [
  ['files in src/', (r) => r.files],
  ['lines', (r) => r.lines],
  ['largest function', (r) => `\`${r.largest.name}\` (${r.largest.file}), ${r.largest.lines} lines`],
  [`files over ${LIMIT} lines`, (r) => `${r.big.length}${r.big.length ? ': ' + r.big.join(', ') : ''}`],
  ['`duplicates --repo src` pairs', (r) => r.duplicates],
];
console.log(`| | ${results.map((r) => r.label).join(' | ')} |`);
console.log(`|---|${results.map(() => '---').join('|')}|`);
for (const [name, cell] of rows) console.log(`| ${name} | ${results.map(cell).join(' | ')} |`);
