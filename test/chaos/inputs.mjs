// Hostile inputs: config files that are not regular files (a FIFO would hang
// start and wedge the daemon at reload; /dev/zero would fill the memory) or
// are huge, tens of thousands of keys, names a log file cannot have, NUL
// bytes, a deleted cwd, a relative state dir. Each is refused at once, with
// the file (and line) that is wrong, and nothing is left behind.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chaosCase, expectStart, tableCase } from './case.mjs';
import { settleDaemons } from './monitor.mjs';
import { cliPath, describeResult as describe, hasStackTrace } from '../helpers/cli.ts';

const YAML = 'services:\n  web:\n    command: sleep 300\n    env_file: .env\n';

const NOT_REGULAR = [
  ['env_file FIFO', (run) => execFileSync('mkfifo', [join(run.projectDir, '.env')]), /env file "\.env" is a FIFO/],
  ['env_file → /dev/zero', (run) => symlinkSync('/dev/zero', join(run.projectDir, '.env')), /env file "\.env" is a character device/],
  ['env_file directory', (run) => mkdirSync(join(run.projectDir, '.env')), /env file "\.env" is a directory/],
  ['env_file 64 MiB', (run) => writeFileSync(join(run.projectDir, '.env'), Buffer.alloc(64 * 1024 * 1024, 'A=1\n')), /the limit is 1048576/],
  ['tend.yaml FIFO', (run) => (rmSync(join(run.projectDir, 'tend.yaml')), execFileSync('mkfifo', [join(run.projectDir, 'tend.yaml')])), /config file \S+ is a FIFO/],
];

/** env_file / tend.yaml that is a FIFO, a device, a directory or huge: start exits 1 at once naming it. */
export const notRegularInputs = tableCase(
  { id: 'input.not-regular', group: 'Hostile inputs', title: 'env_file / tend.yaml a FIFO, /dev/zero, a directory or 64 MiB → start exits 1 at once naming it', sandbox: 'input' },
  NOT_REGULAR,
  async (run, [name, plant, why], c) => {
    writeFileSync(join(run.projectDir, 'tend.yaml'), YAML);
    plant(run);
    const r = await run.cli(['start'], { timeoutMs: 20_000 });
    c.expect(r.code === 1 && why.test(r.stderr) && !hasStackTrace(r.stderr), `${name}: ${describe(r)}`);
    c.expect((await settleDaemons(run, 0, 1_000)).length === 0, `${name}: a daemon runs`);
    return `${name}: ${r.timedOut ? 'HUNG' : `exit ${r.code}`} in ${r.ms} ms`;
  },
);

/** A reload that meets a FIFO env_file: refused at once; the daemon keeps serving and supervising. */
export const reloadFifo = chaosCase({ id: 'input.reload-fifo', group: 'Hostile inputs', title: 'reload with an env_file turned into a FIFO → refused, the daemon keeps answering', sandbox: 'reload-fifo' }, async (run, _p, c) => {
  writeFileSync(join(run.projectDir, 'tend.yaml'), YAML);
  writeFileSync(join(run.projectDir, '.env'), 'A=1\n');
  const up = await expectStart(run, c, ['--wait']);
  rmSync(join(run.projectDir, '.env'));
  execFileSync('mkfifo', [join(run.projectDir, '.env')]);
  const reload = await run.cli(['reload'], { timeoutMs: 20_000 });
  c.expect(reload.code === 1 && /is a FIFO/.test(reload.stderr), `reload: ${describe(reload)}`);
  const status = await run.cli(['status'], { timeoutMs: 20_000 });
  c.expect(status.code === 0, `status after: ${describe(status)}`);
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}`);
  return { figures: `reload exit ${reload.code} in ${reload.ms} ms; status after: exit ${status.code} in ${status.ms} ms`, failures: c.failures };
});

/** 70,000 env keys: refused by the key cap in seconds (the YAML library's own duplicate check took 80 s). */
export const manyKeys = chaosCase({ id: 'input.many-keys', group: 'Hostile inputs', title: '70,000 env keys → refused with the line, within the start deadline', sandbox: 'keys' }, async (run, _p, c) => {
  const many = Array.from({ length: 70_000 }, (_, i) => `K${i}: v`).join(', ');
  writeFileSync(join(run.projectDir, 'tend.yaml'), `services:\n  web:\n    command: sleep 300\n    env: { ${many} }\n`);
  const r = await run.cli(['start'], { timeoutMs: 60_000 });
  c.expect(r.code === 1 && /tend\.yaml:4:10: a mapping with 70000 keys/.test(r.stderr), describe(r));
  return { figures: `exit ${r.code} in ${r.ms} ms`, failures: c.failures };
});

/** A 300-character name (its log file could not be made), a NUL in an env value: refused with file:line:col. */
export const badNames = chaosCase({ id: 'input.names-and-nul', group: 'Hostile inputs', title: '300-character service name, NUL in an env value → refused with file:line:col', sandbox: 'names' }, async (run, _p, c) => {
  writeFileSync(join(run.projectDir, 'tend.yaml'), `services:\n  ${'a'.repeat(300)}:\n    command: sleep 300\n  web:\n    command: sleep 300\n    env: { A: "x\\0y" }\n`);
  const r = await run.cli(['start']);
  c.expect(r.code === 1 && /tend\.yaml:2:3: .*invalid service name/.test(r.stderr) && /tend\.yaml:6:15: .*NUL/.test(r.stderr), describe(r));
  c.expect((await settleDaemons(run, 0, 1_000)).length === 0, 'a daemon runs');
  return { figures: `exit ${r.code}: ${r.stderr.split('\n').length - 2} problems`, failures: c.failures };
});

/** A shell in a deleted directory: one line without --dir; an absolute --dir works. */
export const deletedCwd = chaosCase({ id: 'input.deleted-cwd', group: 'Hostile inputs', title: 'cwd deleted → one-line error; start/stop with an absolute --dir work', sandbox: 'cwd' }, async (run, _p, c) => {
  writeFileSync(join(run.projectDir, 'Procfile'), 'web: sleep 300\n');
  const gone = join(run.root, 'gone');
  const inGone = (args) => shell(run, gone, args);
  const bare = await inGone('status');
  // Bad input: status takes EX_USAGE (64), since LSB gives its 2 a meaning.
  c.expect(bare.code === 64 && bare.stderr.trim().split('\n').length === 1 && !hasStackTrace(bare.stderr), `status: exit ${bare.code}: ${bare.stderr}`);
  const up = await inGone(`start --dir ${run.projectDir}`);
  c.expect(up.code === 0, `start --dir: exit ${up.code}: ${up.stderr}`);
  const stop = await inGone(`stop --dir ${run.projectDir}`);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop --dir: exit ${stop.code}: ${stop.stderr}`);
  return { figures: `bare: exit ${bare.code}, ${bare.stderr.trim().split('\n').length} line; --dir: start ${up.code}, stop ${stop.code}`, failures: c.failures };
});

/** A relative TEND_STATE_DIR would give one daemon per directory started from: refused. */
export const relativeStateDir = chaosCase({ id: 'input.relative-state-dir', group: 'Hostile inputs', title: 'relative TEND_STATE_DIR → refused before anything is made', sandbox: 'rel' }, async (run, _p, c) => {
  writeFileSync(join(run.projectDir, 'Procfile'), 'web: sleep 300\n');
  const r = await run.cli(['start'], { env: { TEND_STATE_DIR: 'state' } });
  c.expect(r.code === 2 && /TEND_STATE_DIR must be an absolute path/.test(r.stderr), describe(r));
  c.expect(readdirSync(run.projectDir).join() === 'Procfile', `made: ${readdirSync(run.projectDir)}`);
  return { figures: `exit ${r.code}`, failures: c.failures };
});

function shell(run, cwd, args) {
  const script = `mkdir -p "${cwd}" && cd "${cwd}" && rmdir "${cwd}" && exec "${process.execPath}" "${cliPath()}" ${args}`;
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', script], { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every hostile-input case, in table order. */
export const inputCases = [notRegularInputs, reloadFifo, manyKeys, badNames, deletedCwd, relativeStateDir];
