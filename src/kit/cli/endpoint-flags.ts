import { InputError } from '../errors.js';
import { given, type Args, type CommandContext } from './spec.js';

/** Host and port the daemon will bind, after flags, project defaults and checks. */
export interface EndpointChoice {
  host: string;
  port: number;
  /** The tool's launch options (CliExtensions.launch), checked by its validate hook. */
  launch?: unknown;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Validates `--port`/`--host` and the project (the tool's validate hook) before
 * anything is spawned; flags win over the project's defaults.
 */
export async function chooseEndpoint(args: Args, ctx: CommandContext): Promise<EndpointChoice> {
  const app = await ctx.def.load();
  const warn = (message: string): void => ctx.err(`${ctx.def.name}: warning: ${message}\n`);
  const launch = launchOf(args, ctx);
  const defaults = (await app.validate?.({ projectDir: ctx.paths.projectDir, paths: ctx.paths, warn, configFile: ctx.configFile, launch })) ?? {};
  const port = args.port ?? defaults.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`--port must be a whole number from 0 to 65535, ${given(args.port)}`);
  }
  const host = (args.host as string | undefined) ?? defaults.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') throw new InputError('--host must be an address such as 127.0.0.1');
  if (!LOOPBACK.has(host)) {
    ctx.err(`${ctx.def.name}: warning: binding ${host} exposes the endpoint beyond this machine (it still needs the token)\n`);
  }
  return { host: host === 'localhost' ? '127.0.0.1' : host, port, launch };
}

/** What the tool launches its daemon with, from the arguments (CliExtensions.launch). */
export function launchOf(args: Args, ctx: CommandContext): unknown {
  return ctx.extensions.launch?.(args, ctx);
}

/** `--wait-timeout` in milliseconds, checked. */
export function waitTimeoutMs(args: Args): number {
  const s = args['wait-timeout'] ?? 10;
  if (typeof s !== 'number' || !(s > 0) || !Number.isFinite(s)) {
    throw new InputError(`--wait-timeout must be a positive number of seconds, ${given(args['wait-timeout'])}`);
  }
  return s * 1000;
}
