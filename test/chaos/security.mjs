// Security: the bearer token (refused when wrong, never printed or logged),
// the Host/Origin guard, introspection off by default, unsafe state dirs
// refused with the fix, planted symlinks never followed, and state planted by
// another user never trusted by any reader.
import { chmodSync, chownSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chaosCase, expectStart, tableCase } from './case.mjs';
import { rawGet as get, jsonBody, rawPost as post, rawRequest } from '../helpers/raw-http.ts';
import { endpointOf } from './run.mjs';
import { refused, rejected } from './http.mjs';
import { spawnStranger } from './metadata.mjs';
import { settleDaemons } from './monitor.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive } from '../helpers/proc.ts';
import { describeResult as describe, hasStackTrace } from '../helpers/cli.ts';

const Q = { query: '{ status { pid } }' };
const ok = (res) => res.status === 200 && Boolean(jsonBody(res)?.data);

async function started(run, c) {
  const up = await expectStart(run, c);
  return endpointOf(run);
}

async function finish(run, c) {
  const stop = await run.cli(['stop']);
  c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `stop: ${describe(stop)}`);
}

async function expectAll(c, list) {
  const out = [];
  for (const [name, send, want] of list) {
    const res = await send();
    const got = res.status ?? (res.closedByServer ? 'closed' : 'none');
    out.push(`${name}→${got}`);
    c.expect(want(res), `${name}: got ${got} ${res.text.split('\r\n\r\n')[1]?.slice(0, 120) ?? ''}`);
  }
  return out.join(', ');
}

/** Right, wrong (same length), wrong length, missing, empty, and token-in-URL. Comparison: sha256 digests + timingSafeEqual (src/kit/server/guard.ts). */
export const tokenCheck = chaosCase({ id: 'sec.token', group: 'Security', title: 'bearer token: wrong (same length), other length, missing → 401', sandbox: 'token' }, async (run, _p, c) => {
  const ep = await started(run, c);
  const flip = ep.token.slice(0, -1) + (ep.token.endsWith('A') ? 'B' : 'A');
  const figures = await expectAll(c, [
    ['right', () => post(ep, Q), ok],
    ['same length, last char differs', () => post(ep, Q, { Authorization: `Bearer ${flip}` }), (r) => r.status === 401],
    ['prefix', () => post(ep, Q, { Authorization: `Bearer ${ep.token.slice(0, 10)}` }), (r) => r.status === 401],
    ['token + 1 char', () => post(ep, Q, { Authorization: `Bearer ${ep.token}x` }), (r) => r.status === 401],
    ['missing', () => post(ep, Q, { Authorization: null }), (r) => r.status === 401],
    ['"Bearer "', () => post(ep, Q, { Authorization: 'Bearer ' }), (r) => r.status === 401],
    ['Basic', () => post(ep, Q, { Authorization: `Basic ${Buffer.from(`x:${ep.token}`).toString('base64')}` }), (r) => r.status === 401],
    ['in the URL', () => get(ep, '{ status { pid } }', { Authorization: null }), (r) => r.status === 401],
  ]);
  await finish(run, c);
  return { figures, failures: c.failures };
});

/** Every output and file a user or another process can read, searched for the tokens of the run. */
export const tokenSecrecy = chaosCase({ id: 'sec.token-not-leaked', group: 'Security', title: 'token never in command output, logs, cmdline or environ', sandbox: 'secrecy' }, async (run, _p, c) => {
  const tokens = new Set();
  const texts = [];
  const grab = (res) => texts.push(`${res.args.join(' ')}:\n${res.stdout}\n${res.stderr}`);
  const note = () => tokens.add(endpointOf(run).token);
  for (const args of [['start'], ['start', '--json'], ['status'], ['status', '--json'], ['ps'], ['ps', '--json']]) {
    grab(await run.cli(args));
    note();
  }
  const ep = endpointOf(run);
  await post(ep, Q, { Authorization: 'Bearer wrong' });
  process.kill(ep.pid, 'SIGUSR1');
  process.kill(ep.pid, 'SIGHUP');
  await sleep(300);
  texts.push(readFileSync(`/proc/${ep.pid}/cmdline`, 'latin1'), readFileSync(`/proc/${ep.pid}/environ`, 'latin1'));
  grab(await run.cli(['restart', '--json']));
  note();
  for (const args of [['status', '--json'], ['logs', '-n', '1000'], ['stop', '--json'], ['status']]) grab(await run.cli(args));
  texts.push(readFileSync(run.file('daemon.log'), 'utf8'));
  const hay = texts.join('\n');
  const leaked = [...tokens].filter((t) => hay.includes(t));
  c.expect(tokens.size >= 2, `expected two daemon tokens (before and after restart), saw ${tokens.size}`);
  c.expect(leaked.length === 0, `a token appears in output or logs: ${leaked.map((t) => hay.slice(Math.max(0, hay.indexOf(t) - 80), hay.indexOf(t)).replace(/\s+/g, ' ')).join(' | ')}`);
  await finish(run, c);
  return { figures: `${tokens.size} tokens searched in ${texts.length} outputs/files (${Math.round(hay.length / 1024)} KiB): ${leaked.length} found`, failures: c.failures };
});

/** DNS-rebinding and CSRF guard. */
export const hostOrigin = chaosCase({ id: 'sec.host-origin', group: 'Security', title: 'Host and Origin guard (DNS rebinding, CSRF)', sandbox: 'host' }, async (run, _p, c) => {
  const ep = await started(run, c);
  const is403 = (r) => r.status === 403 || r.status === 400;
  const figures = await expectAll(c, [
    ['Host evil.example', () => post(ep, Q, { Host: `evil.example:${ep.port}` }), is403],
    ['Host 127.0.0.1.nip.io', () => post(ep, Q, { Host: `127.0.0.1.nip.io:${ep.port}` }), is403],
    ['Host other port', () => post(ep, Q, { Host: `127.0.0.1:${ep.port === 1 ? 2 : ep.port - 1}` }), is403],
    ['Host without port', () => post(ep, Q, { Host: '127.0.0.1' }), is403],
    ['no Host (HTTP/1.0)', () => rawRequest(ep.port, `POST /graphql HTTP/1.0\r\nAuthorization: Bearer ${ep.token}\r\nContent-Type: application/json\r\nContent-Length: ${JSON.stringify(Q).length}`, JSON.stringify(Q)), is403],
    ['Origin evil', () => post(ep, Q, { Origin: 'http://evil.example' }), is403],
    ['Origin null', () => post(ep, Q, { Origin: 'null' }), is403],
    ['Origin same host', () => post(ep, Q, { Origin: `http://127.0.0.1:${ep.port}` }), is403],
    ['Host localhost', () => post(ep, Q, { Host: `localhost:${ep.port}` }), ok],
    ['Host LOCALHOST', () => post(ep, Q, { Host: `LOCALHOST:${ep.port}` }), ok],
  ]);
  await finish(run, c);
  return { figures, failures: c.failures };
});

/** Introspection is refused unless TEND_GRAPHQL_INTROSPECTION=1. */
export const introspection = chaosCase({ id: 'sec.introspection', group: 'Security', title: 'introspection off by default (on with TEND_GRAPHQL_INTROSPECTION=1)', sandbox: 'intro' }, async (run, _p, c) => {
  let ep = await started(run, c);
  const figures = await expectAll(c, [
    ['__schema', () => post(ep, { query: '{ __schema { types { name } } }' }), rejected],
    ['__type', () => post(ep, { query: '{ __type(name: "Query") { name fields { name } } }' }), rejected],
    ['__schema via alias+fragment', () => post(ep, { query: '{ ...F } fragment F on Query { s: __schema { queryType { name } } }' }), rejected],
    ['__typename', () => post(ep, { query: '{ __typename }' }), ok],
  ]);
  await finish(run, c);
  const up = await run.cli(['start'], { env: { TEND_GRAPHQL_INTROSPECTION: '1' } });
  c.expect(up.code === 0, `start with introspection: ${describe(up)}`);
  ep = endpointOf(run);
  const on = await post(ep, { query: '{ __schema { queryType { name } } }' });
  c.expect(ok(on), `with TEND_GRAPHQL_INTROSPECTION=1 __schema is still refused: ${on.status}`);
  await finish(run, c);
  return { figures: `${figures}; with the switch: __schema→${on.status}`, failures: c.failures };
});

const UNSAFE = [
  ['root 0777', (run) => chmodSync(run.stateDir, 0o777), /chmod go-w/],
  ['root 0770', (run) => chmodSync(run.stateDir, 0o770), /chmod go-w/],
  ['instance dir 0722', (run) => chmodSync(run.instanceDir, 0o722), /chmod go-w/],
  ['root owned by uid 65534', (run) => chownSync(run.stateDir, 65534, 65534), /belongs to uid 65534/],
  ['instance dir owned by uid 65534', (run) => chownSync(run.instanceDir, 65534, 65534), /belongs to uid 65534/],
  ['root is a symlink', (run) => {
    const real = join(run.root, 'real-state');
    mkdirSync(real, { mode: 0o700 });
    run.env.TEND_STATE_DIR = join(run.root, 'link-state');
    symlinkSync(real, run.env.TEND_STATE_DIR);
  }, /symbolic link/],
];

/** State dirs another user could plant files in: refused before anything runs, with the fix in the message. */
export const unsafeDirs = tableCase(
  { id: 'sec.unsafe-state-dir', group: 'Security', title: 'state dir group/world-writable, foreign-owned or a symlink → refused with the fix', sandbox: 'unsafe', joiner: ', ' },
  UNSAFE,
  async (run, [name, make, fix], c) => {
    mkdirSync(run.instanceDir, { recursive: true, mode: 0o700 });
    chmodSync(run.stateDir, 0o700);
    make(run);
    const before = readdirSync(run.instanceDir).length;
    const start = await run.cli(['start']);
    const good = start.code === 1 && fix.test(start.stderr) && !hasStackTrace(start.stderr);
    c.expect(good, `${name}: ${describe(start)}`);
    c.expect((await settleDaemons(run, 0, 2_000)).length === 0, `${name}: a daemon runs`);
    c.expect(readdirSync(run.instanceDir).length === before, `${name}: files were created: ${readdirSync(run.instanceDir)}`);
    return `${name}→${start.code}`;
  },
);

/** Modes of what tend creates, with umask 000. */
export const fileModes = chaosCase({ id: 'sec.file-modes', group: 'Security', title: 'with umask 000: instance dir and daemon.lock 0700, daemon.json/log/owner 0600', sandbox: 'modes' }, async (run, _p, c) => {
  const old = process.umask(0);
  let up;
  try {
    up = run.cli(['start']); // the child inherits the umask at spawn
  } finally {
    process.umask(old);
  }
  c.expect((await up).code === 0, 'start');
  const modes = {};
  const want = { '.': 0o700, 'daemon.json': 0o600, 'daemon.log': 0o600, 'daemon.owner.json': 0o600, 'daemon.lock': 0o700 };
  for (const [f, m] of Object.entries(want)) {
    const mode = statSync(join(run.instanceDir, f)).mode & 0o777;
    modes[f] = mode.toString(8);
    c.expect(mode === m, `${f} has mode ${mode.toString(8)}, want ${m.toString(8)}`);
  }
  await finish(run, c);
  return { figures: Object.entries(modes).map(([f, m]) => `${f} ${m}`).join(', '), failures: c.failures };
});

const PLANTS = ['daemon.json', 'daemon.owner.json', 'daemon.log', 'daemon.lock', 'start.lock'];

/** A symlink planted at each name tend writes: the target must be untouched. */
export const plantedSymlinks = tableCase(
  { id: 'sec.planted-symlinks', group: 'Security', title: 'symlink planted at daemon.json, owner, log, lock, guard → not followed', sandbox: 'plant' },
  PLANTS,
  async (run, name, c) => {
    mkdirSync(run.instanceDir, { recursive: true, mode: 0o700 });
    const isDir = name.endsWith('.lock');
    const victim = join(run.root, isDir ? 'victim-dir' : 'victim.txt');
    if (isDir) {
      mkdirSync(victim);
      writeFileSync(join(victim, 'keep'), 'precious\n');
    } else writeFileSync(victim, 'precious\n');
    symlinkSync(victim, run.file(name));
    const start = await run.cli(['start']);
    const stop = await run.cli(['stop']);
    const intact = isDir ? readFileSync(join(victim, 'keep'), 'utf8') === 'precious\n' : readFileSync(victim, 'utf8') === 'precious\n';
    let now = 'gone';
    try {
      now = lstatSync(run.file(name)).isSymbolicLink() ? 'symlink' : 'replaced';
    } catch {
      // Removed.
    }
    c.expect(intact, `${name}: the symlink was followed: the target was changed`);
    c.expect(start.code === 0 || (start.code === 1 && !hasStackTrace(start.stderr)), `${name}: ${describe(start)}`);
    c.expect(stop.code === 0 && (await settleDaemons(run, 0)).length === 0, `${name}: ${describe(stop)}`);
    return `${name}: start ${start.code}, target ${intact ? 'intact' : 'WRITTEN'}, link ${now}`;
  },
);

const READERS = [[['status'], 4], [['stop', '--timeout', '3'], 1], [['stop', '--force', '--timeout', '1'], 1], [['ps'], 1], [['logs'], 1], [['logs', 'web'], 1], [['restart'], 1]];

/** daemon.lock/, owner record, daemon.json and services.json naming the stranger with its real start time and boot id. */
function plantState(run, stranger) {
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const who = { pid: stranger.pid, processStartTime: stranger.startTime, bootId: boot, instanceId: '00000000-0000-4000-8000-000000000000' };
  mkdirSync(run.file('daemon.lock'), { recursive: true });
  mkdirSync(run.file('services'), { recursive: true });
  writeFileSync(run.file('daemon.owner.json'), JSON.stringify(who));
  writeFileSync(run.file('daemon.json'), JSON.stringify({
    schema: 1, ...who, startedAt: new Date().toISOString(), version: '0.1.0', endpoint: 'http://127.0.0.1:9/graphql',
    host: '127.0.0.1', port: 9, token: 'planted-token', projectDir: realpathSync(run.projectDir), logFile: run.file('daemon.log'), foreground: false,
  }));
  writeFileSync(run.file('services.json'), JSON.stringify({ version: 1, owner: { pid: 2, startTime: null }, bootId: boot,
    services: [{ name: 'web', pid: stranger.pid, pgid: stranger.pid, startTime: stranger.startTime }] }));
  writeFileSync(run.file('services/web.log'), 'planted line\n');
}

function chownTree(path, uid) {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), uid);
}

const PLANTED = [
  ['state root of uid 65534', true, (run) => (chmodSync(run.instanceDir, 0o755), chmodSync(run.stateDir, 0o755), chownTree(run.stateDir, 65534)), /belongs to uid 65534/],
  ['instance dir of uid 65534', true, (run) => (chmodSync(run.instanceDir, 0o755), chownTree(run.instanceDir, 65534)), /belongs to uid 65534/],
  // Only these two files are foreign here: `logs` reads neither, and the logs are ours.
  ['daemon.json and owner of uid 65534', true, (run) => ['daemon.json', 'daemon.owner.json'].forEach((f) => chownSync(run.file(f), 65534, 65534)), /belongs to uid 65534/, ['status', 'stop', 'ps', 'restart']],
  ['own state root 0777', false, (run) => chmodSync(run.stateDir, 0o777), /chmod go-w/],
  ['own instance dir 0770', false, (run) => chmodSync(run.instanceDir, 0o770), /chmod go-w/],
  ['symlinked instance dir', false, (run) => {
    const real = join(run.root, 'elsewhere');
    renameSync(run.instanceDir, real);
    symlinkSync(real, run.instanceDir);
  }, /symbolic link/],
];

/** State another user planted (or could change) naming a live process of ours: every reader refuses with the fix; nothing is signalled. */
export const plantedState = tableCase(
  {
    id: 'sec.planted-state',
    group: 'Security',
    title: 'state planted by another user (or in a writable / symlinked dir) naming a live pid → every reader refuses, nothing signalled',
    sandbox: 'planted',
  },
  PLANTED,
  async (run, [name, needsRoot, make, fix, only], c) => {
    if (needsRoot && process.getuid?.() !== 0) return `${name}: skipped (needs root)`;
    mkdirSync(run.instanceDir, { recursive: true, mode: 0o700 });
    chmodSync(run.stateDir, 0o700);
    const stranger = await spawnStranger(run);
    plantState(run, stranger);
    make(run);
    const codes = [];
    for (const [args, want] of READERS.filter(([args]) => !only || only.includes(args[0]))) {
      const r = await run.cli(args);
      codes.push(r.code);
      c.expect(r.code === want && fix.test(r.stderr) && !hasStackTrace(r.stderr), `${name}: ${describe(r)} (want ${want} and ${fix})`);
      c.expect(!/planted line|planted-token/.test(r.stdout + r.stderr), `${name}: tend ${args.join(' ')} printed a planted file`);
    }
    c.expect(alive(stranger.pid) && stranger.signals().length === 0, `${name}: the planted pid ${stranger.pid} was signalled: ${stranger.signals().join(',') || 'killed'}`);
    return `${name}: ${codes.join('/')}, signalled: ${stranger.signals().join(',') || (alive(stranger.pid) ? 'no' : 'KILLED')}`;
  },
);
