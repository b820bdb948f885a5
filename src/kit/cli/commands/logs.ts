import { InputError } from '../../errors.js';
import { followFile } from '../../log/follow.js';
import { readTail } from '../../log/read-tail.js';
import { given, type Args, type CommandContext } from '../spec.js';
import { statSync } from 'node:fs';
import { checkTrusted } from '../../state/trust.js';

/** `logs`: the last N lines of the daemon log; `-f` follows it, across restarts. Read-only. */
export default async function logs(args: Args, ctx: CommandContext): Promise<number> {
  const lines = linesArg(args);
  const file = ctx.paths.logFile;
  checkTrusted(ctx.paths.stateRoot, ctx.paths.dir, { name: ctx.def.name });
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    if (!args.follow) ctx.err(`${ctx.def.name}: no log yet (${file})\n`);
  }
  const tail = readTail(file, lines, 0, size);
  if (tail.length) ctx.out(tail.join('\n') + '\n');
  if (!args.follow) return 0;
  await followFile(file, (text) => ctx.out(text), { from: size, signal: ctx.signal });
  return 0;
}

/** `-n N`, checked. */
export function linesArg(args: Args): number {
  const n = args.lines ?? 50;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InputError(`-n must be a whole number >= 0, ${given(args.lines)}`);
  return n;
}
