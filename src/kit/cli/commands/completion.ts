import { InputError } from '../../errors.js';
import { completionScript } from '../completion-scripts.js';
import { SHELLS } from '../completion.js';
import type { Args, CommandContext } from '../spec.js';

/** `completion [bash|zsh|fish]`: prints the shell's completion script (default: the shell in $SHELL, else bash). */
export default async function completion(args: Args, ctx: CommandContext): Promise<number> {
  const fromEnv = (ctx.env.SHELL ?? '').split('/').pop() ?? '';
  const shell = (args.shell as string | undefined) ?? ((SHELLS as readonly string[]).includes(fromEnv) ? fromEnv : 'bash');
  if (!(SHELLS as readonly string[]).includes(shell)) throw new InputError(`completion: no script for "${shell}"; shells: ${SHELLS.join(', ')}`);
  ctx.out(completionScript(ctx.def.name, shell as (typeof SHELLS)[number]));
  return 0;
}
