import path from 'node:path';
import type { CommandContext } from '../kit/cli/spec.js';
import { configDigest } from '../services/config/digest.js';
import { CONFIG_FILE_NAMES, findConfigFile } from '../services/config/load.js';

/** `start`'s warning for a project with no configuration file, or null when it has one. */
export function missingConfigWarning(ctx: CommandContext): string | null {
  if (ctx.configFile !== null || findConfigFile(ctx.paths.projectDir) !== null) return null;
  const names = CONFIG_FILE_NAMES.join(', ').replace(/, ([^,]+)$/, ' or $1');
  return `${ctx.def.name}: warning: no ${names} found in ${ctx.paths.projectDir} or above; the daemon runs with no services\n`;
}

/** What a running daemon reports about the configuration it read (`loadedConfig`). */
export interface LoadedConfig {
  file: string | null;
  digest: string;
}

/** `start`'s notice when the running daemon's configuration changed on disk since it read it, or null. */
export function staleConfigNotice(ctx: CommandContext, loaded: LoadedConfig | undefined): string | null {
  if (!loaded || configDigest(ctx.paths.projectDir, loaded.file) === loaded.digest) return null;
  const name = loaded.file === null ? '.env' : path.relative(ctx.paths.projectDir, loaded.file) || loaded.file;
  return `${ctx.def.name}: ${name} changed since the daemon loaded it; run '${ctx.def.name} reload' to apply it\n`;
}
