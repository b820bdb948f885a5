import type { CliExtensions, CommandSpec } from '../kit/cli/spec.js';
import { ENDPOINT_OPTIONS, STOP_OPTIONS } from '../kit/cli/spec.js';
import { row } from '../kit/cli/format.js';
import type { ServiceInfo } from '../services/types.js';
import { servicesSummary } from './service-summary.js';
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
    describe: 'stop the daemon and every service; with names, stop only those services',
    options: { ...STOP_OPTIONS },
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
    describe: 'print the daemon log, or the named services\' logs with a name prefix',
    options: {
      follow: { type: 'boolean', alias: 'f', describe: 'keep printing new lines', default: false },
      lines: { type: 'number', alias: 'n', describe: 'how many of the last lines', default: 50 },
    },
    positionals: { services: { describe: 'service names (none: the daemon log)', type: 'string', array: true } },
    load: async () => (await import('./commands/logs.js')).default,
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
    selection: 'services { name state ready } loadedConfig { file digest }',
    human: (extra, color) => [row('services', servicesSummary((extra.services as Pick<ServiceInfo, 'name' | 'state'>[] | undefined) ?? []), color)],
    json: (extra) => ({ services: extra.services ?? [] }),
  },
};
