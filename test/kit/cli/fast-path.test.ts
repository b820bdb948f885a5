import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { tendCli } from '../../../src/cli/extensions.js';
import { allCommands, commandName } from '../../../src/kit/cli/context.js';
import { parseFor, tryFastPath } from '../../../src/kit/cli/fast-path.js';
import { runCli } from '../../../src/kit/cli/program.js';
import { GLOBAL_OPTIONS, type Args, type CliExtensions, type CommandSpec } from '../../../src/kit/cli/spec.js';
import { tend } from '../../../src/tend.js';

// The fast path re-implements yargs' option and positional rules for the
// plainly valid forms; this table feeds the same argv to both and requires
// that whenever the fast path accepts, yargs accepts with the same values.
const TABLE: string[][] = [
  ['status'],
  ['status', '--json'],
  ['status', '--watch', '--interval', '3'],
  ['stop'],
  ['stop', 'web'],
  ['stop', 'web', 'worker', '--timeout', '2'],
  ['stop', '--force', '--timeout=1'],
  ['start'],
  ['start', 'web', '--wait'],
  ['start', '--port', '0', '--host', '127.0.0.1'],
  ['start', '--wait-timeout', '5', 'db'],
  ['restart', 'web', '--force'],
  ['logs', '-n', '5'],
  ['logs', '-f', 'web', 'db'],
  ['logs', '--lines=3', '--follow'],
  ['ps', '--json'],
  ['reload'],
  ['run', '--port', '0'],
  ['run', 'web', '--profile', 'debug'],
  ['start', '--profile', 'a', 'web'],
  ['start', '--profile', 'a', '--profile', 'b', 'web', 'db'],
  ['restart', '--profile=a'],
  ['status', '--dir', '/tmp'],
  ['status', '--no-json'],
  ['ps', 'extra'],
  ['logs', '-n', 'abc'],
  ['stop', '--timeout'],
  ['start', '--port', '1', '--port', '2'],
  ['status', '--bogus'],
];

function capturing(specs: CommandSpec[], seen: { args?: Args }): CliExtensions {
  return {
    commands: specs.map((s) => ({
      ...s,
      load: async () => async (args: Args) => {
        seen.args = args;
        return 0;
      },
    })),
  };
}

async function viaYargs(specs: CommandSpec[], argv: string[]): Promise<Args | null> {
  const seen: { args?: Args } = {};
  const sink = () => new PassThrough();
  const io = { env: {}, cwd: process.cwd(), stdout: sink(), stderr: sink() };
  try {
    await runCli(tend as never, capturing(specs, seen), argv, io, new AbortController().signal);
  } catch {
    return null;
  }
  return seen.args ?? null;
}

test('the fast path accepts only what yargs accepts, with the same values', async () => {
  const specs = allCommands(tend as never, tendCli);
  let accepted = 0;
  for (const argv of TABLE) {
    const spec = specs.find((c) => commandName(c) === argv[0])!;
    assert.ok(spec, `no command ${argv[0]}`);
    const fast = parseFor(spec, argv.slice(1));
    const full = await viaYargs(specs, argv);
    if (fast === null) continue; // yargs decides; nothing to compare
    accepted++;
    assert.ok(full, `fast path accepted ${argv.join(' ')}, yargs refused it`);
    const names = [...Object.keys({ ...GLOBAL_OPTIONS, ...spec.options }), ...Object.keys(spec.positionals ?? {})];
    for (const name of names) {
      assert.deepEqual(fast[name], full[name], `${argv.join(' ')}: ${name}`);
    }
  }
  assert.ok(accepted >= 15, `the fast path took only ${accepted} of ${TABLE.length} forms`);
});

test('a lone --version is answered without yargs, as yargs answers it; with anything else yargs decides', async () => {
  let out = '';
  const stdout = new PassThrough().on('data', (c) => (out += c));
  const io = { env: {}, cwd: process.cwd(), stdout, stderr: new PassThrough() };
  const signal = new AbortController().signal;
  assert.equal(await tryFastPath(tend as never, tendCli, ['--version'], io, signal), 0);
  assert.equal(out, `${tend.version}\n`);
  assert.equal(await tryFastPath(tend as never, tendCli, ['--version', 'status'], io, signal), null);
  assert.equal(await tryFastPath(tend as never, tendCli, ['--version=1'], io, signal), null);
});
