import { existsSync, readdirSync, statSync } from 'node:fs';
import kitLogs, { linesArg } from '../../kit/cli/commands/logs.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { DaemonError } from '../../kit/errors.js';
import { followFile } from '../../kit/log/follow.js';
import { readTail } from '../../kit/log/read-tail.js';
import { checkTrusted } from '../../kit/state/trust.js';
import { ask } from '../daemon-client.js';

const COLOURS = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94];

/**
 * `tend logs [SERVICE...] [-f] [-n N]`: no names, the daemon log; names, those
 * services' logs behind a `name |` prefix (coloured on a TTY without NO_COLOR),
 * interleaved as lines arrive when following. Read-only.
 */
export default async function logs(args: Args, ctx: CommandContext): Promise<number> {
  const names = (args.services as string[] | undefined) ?? [];
  if (!names.length) return kitLogs(args, ctx);
  const lines = linesArg(args);
  const dir = ctx.paths.servicesDir;
  checkTrusted(ctx.paths.stateRoot, dir, { name: ctx.def.name });
  const files = names.map((name) => ({ name, file: ctx.paths.serviceLog(name) }));
  // A service that printed nothing has no log yet (or an empty one): that is
  // not an error, and it must not hide the others named with it.
  const missing = files.filter((f) => !existsSync(f.file)).map((f) => f.name);
  let unknown: string[] = [];
  if (missing.length && !args.follow) {
    const withLogs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)) : [];
    const known = new Set([...withLogs, ...(await daemonServiceNames(ctx))]);
    unknown = missing.filter((name) => !known.has(name));
    if (unknown.length === names.length) throw noLog(unknown, withLogs);
  }
  const width = Math.max(...names.map((n) => n.length));
  const prefix = (name: string, i: number) => {
    const text = `${name.padEnd(width)} |`;
    return ctx.color ? `\u001b[${COLOURS[i % COLOURS.length]}m${text}\u001b[0m` : text;
  };
  const sizes = files.map((f) => sizeOf(f.file));
  files.forEach((f, i) => {
    for (const line of readTail(f.file, lines, 0, sizes[i])) ctx.out(`${prefix(f.name, i)} ${line}\n`);
  });
  if (!args.follow && unknown.length) throw noLog(unknown, []);
  if (!args.follow && names.length === 1 && sizes[0] === 0) ctx.err(`${ctx.def.name}: ${names[0]} has printed nothing yet\n`);
  if (!args.follow) return 0;
  await Promise.all(
    files.map((f, i) => {
      let partial = '';
      return followFile(
        f.file,
        (text) => {
          const parts = (partial + text).split('\n');
          partial = parts.pop() ?? '';
          if (parts.length) ctx.out(parts.map((l) => `${prefix(f.name, i)} ${l}\n`).join(''));
        },
        { from: sizes[i], signal: ctx.signal },
      );
    }),
  );
  return 0;
}

function noLog(names: string[], withLogs: string[]): DaemonError {
  const known = withLogs.length ? ` (services with logs: ${withLogs.join(', ')})` : '';
  return new DaemonError('SERVICE_UNKNOWN', `no log for ${names.join(', ')}: not a service of the running daemon${known}`);
}

// The running daemon's services (a service that printed nothing is still one); none when it is not answering.
async function daemonServiceNames(ctx: CommandContext): Promise<string[]> {
  try {
    const { services } = await ask<{ services: { name: string }[] }>(ctx, '{ services { name } }');
    return services.map((s) => s.name);
  } catch {
    return [];
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
