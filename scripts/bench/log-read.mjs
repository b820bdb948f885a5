// `tend logs` on a big service log: the last 100 lines, and `--since 1h
// --grep X`, on LOG_MIB of log in ten files (nine rotated ones and the live
// one) spanning ten hours. Written straight in the stored format (big
// chunks, one time per chunk), in a temp dir removed afterwards. Time and
// peak RSS come from /usr/bin/time: the figure shows the reader streams.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NODE, median, sandbox, tendCli } from './lib.mjs';

const MiB = 1024 * 1024;
const FILES = 10;
const SPAN_MS = 10 * 3_600_000;
const CHUNK_LINES = 10_000;
const TEXT_BYTES = 70; // + 29 bytes of stamp and '\n': 100-byte stored lines

/** Writes `mib` MiB of service log for `name` under the sandbox's instance dir; returns the line count. */
export function writeBigLog(sb, name, mib) {
  const project = realpathSync(sb.projectDir);
  const hash = createHash('sha256').update(project).digest('hex').slice(0, 8);
  const dir = join(sb.stateDir, `${basename(project)}-${hash}`, 'services');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lineBytes = 29 + TEXT_BYTES + 1;
  const chunks = Math.ceil((mib * MiB) / (lineBytes * CHUNK_LINES));
  const perFile = Math.ceil(chunks / FILES);
  const end = Date.now() - 60_000;
  let body = '';
  for (let i = 0; i < CHUNK_LINES; i++) {
    const text = `L${String(i).padStart(8, '0')} ${i % 1000 === 7 ? 'X' : 'x'}`.padEnd(TEXT_BYTES, '.');
    body += `${text}\n`;
  }
  let fd = -1;
  for (let c = 0; c < chunks; c++) {
    if (c % perFile === 0) {
      if (fd >= 0) closeSync(fd);
      const index = FILES - 1 - Math.floor(c / perFile);
      fd = openSync(join(dir, index === 0 ? `${name}.log` : `${name}.log.${index}`), 'w', 0o600);
    }
    const prefix = `${new Date(end - SPAN_MS + Math.floor((c * SPAN_MS) / chunks)).toISOString()} 1 O `;
    const stamped = prefix + body.replaceAll('\n', `\n${prefix}`);
    writeSync(fd, Buffer.from(stamped.slice(0, stamped.length - prefix.length), 'latin1'));
  }
  closeSync(fd);
  return chunks * CHUNK_LINES;
}

/** Runs `tend ARGS` under /usr/bin/time: wall ms and peak RSS (MiB). */
function measure(sb, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', NODE, tendCli.path, ...args], {
    cwd: sb.projectDir, env: sb.env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * MiB, timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`tend ${args.join(' ')}: exit ${r.status}: ${r.stderr.toString().slice(-300)}`);
  const [secs, user, sys, kb] = r.stderr.toString().trim().split('\n').at(-1).split(' ').map(Number);
  return { ms: secs * 1000, cpuMs: (user + sys) * 1000, rssMiB: kb / 1024, lines: r.stdout.toString().split('\n').length - 1 };
}

export async function figLogRead(ctx, row) {
  const mib = ctx.quick ? 100 : 1024;
  const sb = sandbox('logread');
  try {
    const t0 = Date.now();
    const lines = writeBigLog(sb, 'big', mib);
    const writeMs = Date.now() - t0;
    const runs = ctx.quick ? 1 : 3;
    const cases = [
      ['tail', `tend logs big -n 100 (${mib} MiB log)`, ['logs', 'big', '-n', '100']],
      ['since-grep', `tend logs big --since 1h --grep X (${mib} MiB log)`, ['logs', 'big', '--since', '1h', '--grep', 'X']],
    ];
    const rows = [];
    for (const [id, label, args] of cases) {
      const results = Array.from({ length: runs }, () => measure(sb, args));
      rows.push(row({ id: `logs-read-${id}`, label, unit: 'ms', value: median(results.map((r) => r.ms)), n: runs, details: { results, lines, writeMs } }));
      rows.push(row({ id: `logs-read-${id}-cpu`, label: `${label}: CPU time (user + sys)`, unit: 'ms', value: median(results.map((r) => r.cpuMs)), n: runs }));
      rows.push(row({ id: `logs-read-${id}-rss`, label: `${label}: peak RSS`, unit: 'MiB', value: median(results.map((r) => r.rssMiB)), n: runs }));
    }
    return rows;
  } finally {
    rmSync(sb.root, { recursive: true, force: true });
  }
}
