import type { CliExtensions, CommandSpec } from '../kit/cli/spec.js';
import { ENDPOINT_OPTIONS, STOP_ALL_OPTION, STOP_OPTIONS } from '../kit/cli/spec.js';
import { row } from '../kit/cli/format.js';
import type { ServiceInfo } from '../services/types.js';
import { servicesSummary } from './service-summary.js';
import { SERVICE_SELECTION } from '../daemon/service-shape.js';
import { tendLaunch } from '../daemon/launch.js';

const SERVICES = { services: { describe: 'service names (none: the daemon and every service)', type: 'string', array: true } } as const;
const PROFILE = {
  profile: { type: 'string', repeatable: true, describe: 'activate a profile (repeatable; env TEND_PROFILES=a,b)' },
} as const;
const WAIT = {
  'wait-timeout': { type: 'number', describe: 'seconds to wait for readiness (default 10; 60 with --wait)' },
  wait: { type: 'boolean', describe: 'return only when every service is ready (or fail naming the first that is not)', default: false },
} as const;

const commands: CommandSpec[] = [
  {
    command: 'start [services..]',
    describe: 'start the daemon and all services in the background; with names, only those (and their dependencies), or start them in the running daemon',
    options: { ...ENDPOINT_OPTIONS, ...WAIT, ...PROFILE },
    positionals: SERVICES,
    examples: [
      ['tend start', 'start the daemon and every service'],
      ['tend start --wait', '... and return once every service is ready'],
      ['tend start web', 'start one service (and what it depends on)'],
      ['tend start --profile debug', 'also start the services of profile debug'],
      ['tend -F Procfile.dev start', 'use another configuration file'],
    ],
    load: async () => (await import('./commands/start.js')).default,
  },
  {
    command: 'run [services..]',
    describe: 'run the daemon in the foreground (service output on the terminal; Ctrl-C stops it); with names, only those and their dependencies',
    options: { ...ENDPOINT_OPTIONS, ...PROFILE },
    positionals: SERVICES,
    load: async () => (await import('../kit/cli/commands/run.js')).default,
  },
  {
    command: 'stop [services..]',
    describe: 'stop the daemon and every service; with names, stop only those services; --all: every daemon of this user',
    options: { ...STOP_OPTIONS, ...STOP_ALL_OPTION },
    positionals: SERVICES,
    load: async () => (await import('./commands/stop.js')).default,
  },
  {
    command: 'restart [services..]',
    describe: 'restart the daemon (stop, then start with the same flags); with names, restart those services',
    options: { ...ENDPOINT_OPTIONS, ...WAIT, ...STOP_OPTIONS, ...PROFILE },
    positionals: SERVICES,
    load: async () => (await import('./commands/restart.js')).default,
  },
  {
    command: 'ps',
    describe: 'list services: name, state, pid, uptime, restarts, ready, last exit',
    options: { watch: { type: 'boolean', describe: 'follow service events until Ctrl-C', default: false } },
    load: async () => (await import('./commands/ps.js')).default,
  },
  {
    command: 'logs [services..]',
    describe: 'print the services\' and the daemon\'s logs in capture order (names: only those services)',
    options: {
      follow: { type: 'boolean', alias: 'f', describe: 'keep printing new lines (across restarts and rotation)', default: false },
      lines: { type: 'number', alias: 'n', describe: 'how many of the last lines (default 50; all with --since or --previous)' },
      timestamps: { type: 'boolean', alias: 't', describe: 'show each line\'s capture time', default: false },
      since: { type: 'string', describe: 'lines from this time on: a duration back (30s, 5m, 2h) or a time (2026-12-01T10:00:00Z)' },
      until: { type: 'string', describe: 'lines up to this time (same forms as --since)' },
      grep: { type: 'string', describe: 'only lines matching this regular expression' },
      previous: { type: 'boolean', describe: 'each service\'s last finished run (why it died)', default: false },
      daemon: { type: 'boolean', describe: 'only the daemon\'s log', default: false },
    },
    positionals: { services: { describe: 'service names (none: every service and the daemon)', type: 'string', array: true } },
    examples: [
      ['tend logs', 'every service and the daemon, the last 50 lines'],
      ['tend logs web -f -t', 'follow one service with times'],
      ['tend logs --since 10m --grep "ERROR|WARN"', 'what went wrong in the last ten minutes'],
      ['tend logs web --previous', 'the last finished run of web: why it died'],
    ],
    load: async () => (await import('./commands/logs.js')).default,
  },
  {
    command: 'ui',
    describe: 'open the live dashboard in the browser (prints its one-time login URL)',
    options: { open: { type: 'boolean', describe: 'open the browser (--no-open: only print the URL)', default: true } },
    examples: [
      ['tend ui', 'print the dashboard URL and open it'],
      ['tend ui --no-open', 'only print it'],
    ],
    load: async () => (await import('./commands/ui.js')).default,
  },
  {
    command: 'reload',
    describe: 're-read tend.yaml: start added services, stop removed ones, restart changed ones',
    load: async () => (await import('./commands/reload.js')).default,
  },
];

/** What tend adds to the kit's CLI: service commands and the services summary in `status`. */
export const tendCli: CliExtensions = {
  commands,
  launch: (args, ctx) => tendLaunch(args, ctx.env),
  status: {
    selection: 'services { name state ready exitCode exitSignal reason } loadedConfig { file digest }',
    human: (extra, color) => [row('services', servicesSummary((extra.services as Pick<ServiceInfo, 'name' | 'state'>[] | undefined) ?? []), color)],
    json: (extra) => ({ services: extra.services ?? [], ...(extra.config ? { config: extra.config } : {}) }),
  },
  async complete(positional, projectDir) {
    if (positional !== 'services') return [];
    const { loadProjectConfig } = await import('../services/config/index.js');
    return loadProjectConfig(projectDir).services.map((s) => s.name);
  },
  list: {
    selection: `services ${SERVICE_SELECTION}`,
    columns: ['SERVICES', 'PORTS'],
    cells: (extra) => {
      const { running, total, ports } = listFields(extra);
      return [`${running}/${total}`, ports.join(',') || '-'];
    },
    json: (extra, running) => {
      if (!running) return { services: null, ports: null };
      const { running: up, total, ports } = listFields(extra);
      return { services: { running: up, total }, ports };
    },
  },
};

/** Services running/total and their ports (where the daemon reports a `port`), for `ls`. */
function listFields(extra: Record<string, unknown>): { running: number; total: number; ports: number[] } {
  const services = (extra.services as (Pick<ServiceInfo, 'state'> & { port?: number | null })[] | undefined) ?? [];
  const ports = services.map((s) => s.port).filter((p): p is number => typeof p === 'number');
  return { running: services.filter((s) => s.state === 'running').length, total: services.length, ports };
}
