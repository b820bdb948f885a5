import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { entryJson, entryText, type LogEntry } from '../../services/log/log-entry.js';
import { checkTrusted } from '../../kit/state/trust.js';
import { servicesWithLogs } from '../../services/log/log-files.js';
import { viewLogs, type LogSourceSpec } from '../../services/log/log-view.js';
import { logViewFlags } from '../log-flags.js';
import { existsSync } from 'node:fs';
import { DaemonError } from '../../kit/errors.js';
import { ask } from '../daemon-client.js';

const COLOURS = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94];
const DIM = 90;

/**
 * `tend logs [SERVICE...]`: no names, every service and the daemon (`tend |`);
 * `--daemon`, only the daemon; names, those services. Lines in capture order
 * behind a `name |` prefix (coloured on a TTY without NO_COLOR), `-t` adds the
 * time; `--json` prints one object per line. Read-only.
 */
export default async function logs(args: Args, ctx: CommandContext): Promise<number> {
  const view = logViewFlags(args, ctx.signal);
  const names = (args.services as string[] | undefined) ?? [];
  const { paths } = ctx;
  // Nothing under the state root is read before it is known to be yours.
  checkTrusted(paths.stateRoot, paths.dir, { name: ctx.def.name });
  checkTrusted(paths.stateRoot, paths.servicesDir, { name: ctx.def.name });
  const daemon: LogSourceSpec = { name: ctx.def.name, file: paths.logFile, daemon: true };
  const service = (name: string): LogSourceSpec => ({ name, file: paths.serviceLog(name) });
  const services = (names.length ? names : args.daemon ? [] : servicesWithLogs(paths.servicesDir)).map(service);
  const sources: LogSourceSpec[] = names.length ? services : args.daemon ? [daemon] : [...services, daemon];
  const width = Math.max(...sources.map((s) => s.name.length));
  const prefixes = new Map<string, string>();
  let coloured = 0;
  const prefixOf = (entry: LogEntry): string => {
    const key = `${entry.daemon ? 'd' : 's'}:${entry.service}`;
    let prefix = prefixes.get(key);
    if (prefix === undefined) {
      const text = `${entry.service.padEnd(width)} |`;
      const colour = entry.daemon ? DIM : COLOURS[coloured++ % COLOURS.length];
      prefix = ctx.color ? `\u001b[${colour}m${text}\u001b[0m` : text;
      prefixes.set(key, prefix);
    }
    return prefix;
  };
  const timestamps = Boolean(args.timestamps);
  let outputLines = 0;
  const print = (entry: LogEntry) => {
    if (entry.kind === 'stdout' || entry.kind === 'stderr') outputLines++;
    if (ctx.json) return ctx.out(`${JSON.stringify(entryJson(entry))}\n`);
    const time = timestamps ? `${new Date(entry.time).toISOString()} ` : '';
    ctx.out(`${prefixOf(entry)} ${time}${entryText(entry)}\n`);
  };
  if (!names.length && !args.daemon) {
    view.discover = { watchDir: paths.servicesDir, sources: () => servicesWithLogs(paths.servicesDir).map(service) };
  }
  // A name with no log at all may still be a service that printed nothing:
  // only the running daemon can tell; a name that is neither is an error,
  // after the services that are were printed.
  if (!names.length && !args.follow && !existsSync(paths.logFile) && !servicesWithLogs(paths.servicesDir).length) {
    ctx.err(`${ctx.def.name}: no log yet in ${paths.dir} (no daemon has run for this project; '${ctx.def.name} start' starts one)\n`);
    return 0;
  }
  const missing = names.filter((name) => !existsSync(paths.serviceLog(name)));
  const unknown = missing.length && !args.follow ? await notServices(ctx, missing) : [];
  if (unknown.length === names.length && names.length) throw noLog(unknown);
  const { withoutFinishedRun } = await viewLogs(sources, view, print);
  if (names.length === 1 && withoutFinishedRun.length) ctx.err(`${ctx.def.name}: ${names[0]} has no finished run yet\n`);
  // Run markers alone are no output: say so when the one service named printed nothing.
  else if (names.length === 1 && !args.follow && outputLines === 0 && !unknown.length) ctx.err(`${ctx.def.name}: ${names[0]} has printed nothing yet\n`);
  if (unknown.length) throw noLog(unknown);
  return 0;
}

function noLog(names: string[]): DaemonError {
  return new DaemonError('SERVICE_UNKNOWN', `no log for ${names.join(', ')}: not a service of the running daemon`);
}

// The names the running daemon does not know; none when it cannot be asked (then a name is given the benefit of the doubt).
async function notServices(ctx: CommandContext, names: string[]): Promise<string[]> {
  try {
    const { services } = await ask<{ services: { name: string }[] }>(ctx, '{ services { name } }');
    const known = new Set(services.map((s) => s.name));
    return names.filter((n) => !known.has(n));
  } catch {
    return [];
  }
}
