import { runDaemon } from '../../lifecycle/run-daemon.js';
import { DaemonError } from '../../errors.js';
import { AlreadyRunningError } from '../../state/lock.js';
import { envPrefix } from '../../state/paths.js';
import { openReadyPipe } from '../../lifecycle/ready-pipe.js';
import { chooseEndpoint } from '../endpoint-flags.js';
import type { Args, CommandContext } from '../spec.js';

/** `run`: the daemon in the foreground, logging to the terminal (`--json`: one object per line); Ctrl-C stops it cleanly. */
export default async function run(args: Args, ctx: CommandContext): Promise<number> {
  const endpoint = await chooseEndpoint(args, ctx);
  try {
    return await runDaemon(ctx.def, {
      paths: ctx.paths,
      host: endpoint.host,
      port: endpoint.port,
      launch: endpoint.launch,
      configFile: ctx.configFile,
      foreground: true,
      json: ctx.json,
      pipe: openReadyPipe(false),
      introspection: ctx.env[`${envPrefix(ctx.def.name)}_GRAPHQL_INTROSPECTION`] === '1',
    });
  } catch (err) {
    if (err instanceof AlreadyRunningError) {
      throw new DaemonError('ALREADY_RUNNING', `already running (pid ${err.pid}); stop it first with '${ctx.def.name} stop'`);
    }
    throw err;
  }
}
