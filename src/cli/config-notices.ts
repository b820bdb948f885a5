import { existsSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile } from '../services/config/load.js';
import type { CommandContext } from '../kit/cli/spec.js';
import { configDigest } from '../services/config/digest.js';

/** What a running daemon reports about the configuration it read (`loadedConfig`). */
export interface LoadedConfig {
  file: string | null;
  digest: string;
}

/** `start`'s notice when the running daemon's configuration changed on disk since it read it, or null. */
export function staleConfigNotice(ctx: CommandContext, loaded: LoadedConfig | undefined): string | null {
  if (!loaded) return null;
  const { projectDir } = ctx.paths;
  const shown = (file: string) => path.relative(projectDir, file) || file;
  const say = (what: string) => `${ctx.def.name}: warning: ${what}; run '${ctx.def.name} reload' to apply it\n`;
  const now = loaded.file ?? ctx.configFile ?? findConfigFile(projectDir)?.file ?? null;
  if (loaded.file === null && now !== null) return say(`${shown(now)} was created since the daemon started`);
  if (loaded.file !== null && !existsSync(loaded.file)) return say(`${shown(loaded.file)} was removed since the daemon loaded it`);
  if (configDigest(projectDir, loaded.file) === loaded.digest) return null;
  return say(`${loaded.file === null ? '.env' : shown(loaded.file)} changed since the daemon loaded it`);
}
