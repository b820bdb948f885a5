import { existsSync, readdirSync, statSync } from 'node:fs';
import kitLogs, { linesArg } from '../../kit/cli/commands/logs.js';
import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { DaemonError } from '../../kit/errors.js';
import { followFile } from '../../kit/log/follow.js';
import { readTail } from '../../kit/log/read-tail.js';
import { checkTrusted } from '../../kit/state/trust.js';

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
  const missing = files.filter((f) => !existsSync(f.file)).map((f) => f.name);
  if (missing.length && !args.follow) {
    const known = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)) : [];
    throw new DaemonError(
      'SERVICE_UNKNOWN',
      `no log for ${missing.join(', ')}${known.length ? ` (services with logs: ${known.join(', ')})` : ' (no service has written a log yet)'}`,
    );
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

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
