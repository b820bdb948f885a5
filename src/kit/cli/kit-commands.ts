import { ENDPOINT_OPTIONS, STOP_ALL_OPTION, STOP_OPTIONS, WAIT_OPTIONS, type CommandSpec } from './spec.js';

/** The kit's lifecycle commands; a tool may add to or replace them by name. */
export function kitCommands(name: string): CommandSpec[] {
  return [
    {
      command: 'start',
      describe: 'start the daemon in the background and wait until it is ready',
      options: { ...ENDPOINT_OPTIONS, ...WAIT_OPTIONS },
      examples: [[`${name} start`, 'start, or report the one already running']],
      load: async () => (await import('./commands/start.js')).default,
    },
    {
      command: 'run',
      describe: 'run the daemon in the foreground (logs to the terminal; Ctrl-C stops it)',
      options: { ...ENDPOINT_OPTIONS },
      load: async () => (await import('./commands/run.js')).default,
    },
    {
      command: 'status',
      describe: 'show whether the daemon is running (exit 0 running, 1 stale, 3 stopped, 4 unknown)',
      options: {
        watch: { type: 'boolean', describe: 'follow live status until Ctrl-C', default: false },
        interval: { type: 'number', describe: 'with --watch: seconds between updates', default: 2 },
      },
      load: async () => (await import('./commands/status.js')).default,
    },
    {
      command: 'stop',
      describe: 'stop the daemon and wait until it is gone',
      options: { ...STOP_OPTIONS, ...STOP_ALL_OPTION },
      load: async () => (await import('./commands/stop.js')).default,
    },
    {
      command: 'restart',
      describe: 'stop, then start with the same flags as start',
      options: { ...ENDPOINT_OPTIONS, ...WAIT_OPTIONS, ...STOP_OPTIONS },
      load: async () => (await import('./commands/restart.js')).default,
    },
    {
      command: 'logs',
      describe: 'print the daemon log',
      options: {
        follow: { type: 'boolean', alias: 'f', describe: 'keep printing new lines', default: false },
        lines: { type: 'number', alias: 'n', describe: 'how many of the last lines', default: 50 },
      },
      load: async () => (await import('./commands/logs.js')).default,
    },
    {
      command: 'ls',
      aliases: ['list'],
      describe: `list every ${name} daemon of this user: project, pid, state, uptime, endpoint (read-only)`,
      load: async () => (await import('./commands/ls.js')).default,
    },
    {
      command: 'completion [shell]',
      describe: 'print the shell completion script (bash, zsh or fish)',
      positionals: { shell: { describe: 'bash, zsh or fish (default: from $SHELL)', type: 'string' } },
      examples: [[`source <(${name} completion bash)`, 'complete commands, flags and service names in this shell']],
      load: async () => (await import('./commands/completion.js')).default,
    },
  ];
}
