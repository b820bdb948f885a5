import * as z from 'zod';
import { DEFAULT_RESTART, DEFAULT_STOP_SIGNAL, DEFAULT_STOP_TIMEOUT_MS } from './defaults.js';
import { dependsOn } from './dependencies.js';
import { command, duration, envName, envValue, profileName, serviceName, signal, strict } from './fields.js';
import { directory, envFiles } from './files.js';
import { liveProbe, readyProbe } from './probe.js';
import { restartField } from './restart-policy.js';
import { watchField } from './watch.js';

/**
 * The top of tend.yaml. Services are checked one by one afterwards (see
 * `serviceSchema`) so a broken service does not hide its neighbours' problems.
 */
export function projectSchema() {
  return strict({
    services: z.record(serviceName(), z.unknown()).nullable().optional(),
    daemon: strict({
      port: z.number().int().min(0).max(65535).optional(),
      host: z.string().min(1).optional(),
    }).optional(),
  });
}

/** One service's mapping; `cwd` and `env_file` are resolved against `projectDir`. */
export function serviceSchema(projectDir: string) {
  return strict({
    command: command(),
    cwd: directory(projectDir).optional(),
    env: z.record(envName(), envValue()).optional(),
    env_file: envFiles(projectDir).optional(),
    depends_on: dependsOn().default([]),
    ready: readyProbe().optional(),
    restart: restartField().default({ policy: DEFAULT_RESTART, tuning: null }),
    stop_signal: signal().default(DEFAULT_STOP_SIGNAL),
    stop_timeout: duration().default(DEFAULT_STOP_TIMEOUT_MS),
    // The dev loop (see watch.ts, probe.ts, restart-policy.ts).
    watch: watchField().optional(),
    live: liveProbe().optional(),
    // Checked (and leased) by portRequest before the rest, since `${PORT}` needs it.
    port: z.unknown().optional(),
    autostart: z.boolean().default(true),
    profiles: z.array(profileName()).default([]),
  });
}

/** What `serviceSchema` produces for one service. */
export type ParsedService = z.output<ReturnType<typeof serviceSchema>>;
