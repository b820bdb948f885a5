import path from 'node:path';
import type { CommandContext } from '../kit/cli/spec.js';
import { configDigest } from '../services/config/digest.js';

/** What a running daemon reports about the configuration it read (`loadedConfig`). */
export interface LoadedConfig {
  file: string | null;
  digest: string;
}

/** `start`'s notice when the running daemon's configuration changed on disk since it read it, or null. */
export function staleConfigNotice(ctx: CommandContext, loaded: LoadedConfig | undefined): string | null {
  if (!loaded || configDigest(ctx.paths.projectDir, loaded.file) === loaded.digest) return null;
  const name = loaded.file === null ? '.env' : path.relative(ctx.paths.projectDir, loaded.file) || loaded.file;
  return `${ctx.def.name}: warning: ${name} changed since the daemon loaded it; run '${ctx.def.name} reload' to apply it\n`;
}
