import type { Args, CommandContext } from '../../kit/cli/spec.js';
import { entryJson, entryText, type LogEntry } from '../../services/log/log-entry.js';
import { checkTrusted } from '../../kit/state/trust.js';
import { servicesWithLogs } from '../../services/log/log-files.js';
import { viewLogs, type LogSourceSpec } from '../../services/log/log-view.js';
import { logViewFlags } from '../log-flags.js';

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
  if (names.length === 1 && !args.follow && !servicesWithLogs(paths.servicesDir).includes(names[0]!)) {
    ctx.err(`${ctx.def.name}: ${names[0]} has printed nothing yet\n`);
  }
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
  const print = (entry: LogEntry) => {
    if (ctx.json) return ctx.out(`${JSON.stringify(entryJson(entry))}\n`);
    const time = timestamps ? `${new Date(entry.time).toISOString()} ` : '';
    ctx.out(`${prefixOf(entry)} ${time}${entryText(entry)}\n`);
  };
  if (!names.length && !args.daemon) {
    view.discover = { watchDir: paths.servicesDir, sources: () => servicesWithLogs(paths.servicesDir).map(service) };
  }
  const { withoutFinishedRun } = await viewLogs(sources, view, print);
  if (names.length === 1 && withoutFinishedRun.length) ctx.err(`${ctx.def.name}: ${names[0]} has no finished run yet\n`);
  return 0;
}
