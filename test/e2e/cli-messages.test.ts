import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeSandbox } from '../helpers/sandbox.js';
import { occupiedPort } from '../helpers/ports.js';

for (const command of ['start', 'stop', 'ps', 'logs', 'reload', 'restart', 'run']) {
  test(`${command} --dir /missing is bad input: exit 2, naming --dir`, async (t) => {
    const box = makeSandbox(t);
    const r = await box.cli([command, '--dir', join(box.root, 'missing')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /--dir .*missing: no such directory/);
  });
}

test('status --dir /missing exits 64 (EX_USAGE), not 1 (stale) nor 2 (LSB: dead, lock file exists)', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['status', '--dir', join(box.root, 'missing')]);
  assert.equal(r.code, 64, r.stdout + r.stderr);
  const flag = await box.cli(['status', '--bogus']);
  assert.equal(flag.code, 64, flag.stdout + flag.stderr);
});

test('--dir naming a file says "not a directory"', async (t) => {
  const box = makeSandbox(t, { 'a-file': 'x' });
  const r = await box.cli(['ps', '--dir', 'a-file']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--dir a-file: not a directory/);
});

test('TEND_DIR=/missing is reported as TEND_DIR, not --dir', async (t) => {
  const box = makeSandbox(t);
  const missing = join(box.root, 'missing');
  const r = await box.cli(['ps'], { env: { TEND_DIR: missing } });
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes(`TEND_DIR=${missing}: no such directory`), r.stderr);
  assert.doesNotMatch(r.stderr, /--dir/);
});

test('the help hint is printed once', async (t) => {
  const box = makeSandbox(t);
  for (const args of [[], ['stauts'], ['start', '--bogus']]) {
    const r = await box.cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.match(/--help/gi)?.length, 1, r.stderr);
  }
});

test('a non-numeric --port or -n is quoted back', async (t) => {
  const box = makeSandbox(t);
  const port = await box.cli(['start', '--port', 'abc']);
  assert.equal(port.code, 2, port.stderr);
  assert.match(port.stderr, /--port needs a number, not "abc"/);
  const wait = await box.cli(['start', '--wait-timeout', 'soon']);
  assert.equal(wait.code, 2, wait.stderr);
  assert.match(wait.stderr, /--wait-timeout needs a number, not "soon"/);
  const lines = await box.cli(['logs', '-n', '1x']);
  assert.equal(lines.code, 2, lines.stderr);
  assert.match(lines.stderr, /-n\/--lines needs a number, not "1x"/);
});

test('a mistyped flag gets a did-you-mean', async (t) => {
  const box = makeSandbox(t);
  const cases: [string[], RegExp][] = [
    [['start', '--prot', '0'], /unknown option --prot \(did you mean --port\?\)/],
    [['logs', '--folow'], /unknown option --folow \(did you mean --follow\?\)/],
    [['stop', '--forse'], /did you mean --force\?/],
    [['ps', '--jsn'], /did you mean --json\?/],
  ];
  for (const [args, expected] of cases) {
    const r = await box.cli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
  }
  const far = await box.cli(['start', '--zzzzzz']);
  assert.doesNotMatch(far.stderr, /did you mean/);
});

test('start on a port in use says what to do next', async (t) => {
  const box = makeSandbox(t);
  const port = await occupiedPort(t);
  const r = await box.cli(['start', '--port', String(port)]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`EADDRINUSE.*${port}.*choose another --port, or --port 0`));
});

test('start with a host that does not resolve says what --host takes', async (t) => {
  const box = makeSandbox(t);
  const r = await box.cli(['start', '--host', 'no-such-host.invalid']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /ENOTFOUND.*--host takes an address of this machine, such as 127\.0\.0\.1/);
});
