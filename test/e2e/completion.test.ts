import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';
import { cliPath } from '../helpers/cli.js';
import { outcomeOf } from '../helpers/child.js';

/** A `tend` on PATH that runs the built CLI, as an installed one would. */
function tendOnPath(box: Sandbox): string {
  const bin = join(box.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'tend'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath())} "$@"\n`);
  chmodSync(join(bin, 'tend'), 0o755);
  return `${bin}:${process.env.PATH}`;
}

/** Runs a shell script in `shell` in the project dir; resolves with its stdout. */
async function runShell(box: Sandbox, shell: string, args: string[], script: string, path: string): Promise<string> {
  const child = box.spawnHelper(shell, [...args, script], { cwd: box.projectDir, env: { ...box.env, PATH: path, HOME: box.root }, stdio: ['ignore', 'pipe', 'pipe'] });
  const r = await outcomeOf(child);
  if (r.code !== 0) throw new Error(`${shell} exited ${r.code ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

// Each case: the command line typed so far (a trailing space: a new, empty word) and what bash offers.
const CASES: [string, string[]][] = [
  ['tend st', ['start', 'status', 'stop']],
  ['tend logs --gr', ['--grep']],
  ['tend logs -', ['--dir', '--file', '-F', '--json', '--follow', '-f', '--lines', '-n', '--timestamps', '-t', '--since', '--until', '--grep', '--previous', '--daemon', '--help']],
  ['tend logs ', ['db', 'web', 'worker']],
  ['tend restart w', ['web', 'worker']],
  ['tend stop web ', ['db', 'worker']],
  ['tend logs --since ', []],
  ['tend completion ', ['bash', 'zsh', 'fish']],
];

test('tend completion bash, sourced in a real bash, completes commands, flags and the project\'s service names', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', 'services:\n  web:\n    command: sleep 1000\n  worker:\n    command: sleep 1000\n  db:\n    command: sleep 1000\n');
  const path = tendOnPath(box);
  const script = [
    'source <(tend completion bash)',
    'complete -p tend',
    ...CASES.map(([line]) => {
      const words = line.split(' ');
      return `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _tend_complete; echo "\${COMPREPLY[*]}"`;
    }),
  ].join('\n');
  const lines = (await runShell(box, 'bash', ['--norc', '--noprofile', '-c'], script, path)).split('\n');
  assert.match(lines[0]!, /^complete -o default -F _tend_complete tend$/);
  CASES.forEach(([line, expected], i) => {
    assert.deepEqual(lines[i + 1]!.split(' ').filter(Boolean).sort(), [...expected].sort(), `completing "${line}"`);
  });
  // Completing never starts anything.
  assert.equal(existsSync(box.paths().metadataFile), false);
});

const has = (shell: string): boolean => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
const PROJECT = 'services:\n  web:\n    command: sleep 1000\n  worker:\n    command: sleep 1000\n  db:\n    command: sleep 1000\n';

test('tend completion fish, sourced in a real fish, completes commands, flags and service names', { skip: !has('fish') && 'fish is not installed' }, async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', PROJECT);
  const path = tendOnPath(box);
  const lines = ['tend st', 'tend logs --gr', 'tend restart w', 'tend stop web '];
  const script = ['tend completion fish | source', ...lines.map((l) => `complete -C '${l}' | string join ' '`)].join('\n');
  const out = (await runShell(box, 'fish', ['--no-config', '-c'], script, path)).split('\n');
  assert.deepEqual(out.slice(0, 4), ['start status stop', '--grep', 'web worker', 'db worker']);
});

test('tend completion zsh, sourced in a real zsh, hands the words to the completer and offers its names', { skip: !has('zsh') && 'zsh is not installed' }, async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', PROJECT);
  const path = tendOnPath(box);
  // compadd works only inside a completion widget: stand-ins print what would be offered.
  const script = [
    'autoload -Uz compinit && compinit -u',
    'source <(tend completion zsh)',
    'print -r -- ${_comps[tend]}',
    'compadd() { [[ $1 == -a ]] && print -r -- "${(@P)2}"; }',
    '_files() { print -r -- FILES; }',
    'words=(tend st); CURRENT=2; _tend_complete',
    'words=(tend logs --since 5m ""); CURRENT=5; _tend_complete',
    'words=(tend logs --since ""); CURRENT=4; _tend_complete',
  ].join('\n');
  const out = (await runShell(box, 'zsh', ['-f', '-c'], script, path)).split('\n');
  assert.deepEqual(out.slice(0, 4), ['_tend_complete', 'start status stop', 'web worker db', 'FILES']);
});

test('completion scripts for zsh and fish ask the same completer; a broken config completes no names', async (t) => {
  const box = makeSandbox(t);
  box.write('tend.yaml', 'services: [oops\n');
  for (const shell of ['zsh', 'fish']) {
    const r = await box.cli(['completion', shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /tend __complete/);
  }
  assert.match((await box.cli(['completion', 'zsh'])).stdout, /compdef _tend_complete tend/);
  assert.match((await box.cli(['completion', 'fish'])).stdout, /^complete -c tend /m);
  assert.equal((await box.cli(['completion', 'tcsh'])).code, 2, 'bad input');
  const r = await box.cli(['__complete', 'logs', '']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal((await box.cli(['__complete', 'rel'])).stdout, 'reload\n');
});
