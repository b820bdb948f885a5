import type { PortAssigner, PortRequest, ProjectConfig } from '../types.js';

/** The first Procfile process's PORT when tend's environment sets none (foreman's default). */
export const PROCFILE_BASE_PORT = 5000;
/** foreman, overmind and honcho step 100 ports per process. */
export const PROCFILE_PORT_STEP = 100;

/** What a Procfile's processes get around their command. */
export interface ProcfileEnvOptions {
  env: NodeJS.ProcessEnv;
  dotenv: Record<string, string>;
  ports: PortAssigner;
}

/**
 * Gives each Procfile process what foreman gives it: PORT (base `$PORT` or
 * 5000, plus 100 per process in file order; leased elsewhere when that
 * number is taken), `PS=name.1`, and the project's `.env`.
 */
export function withProcfileEnv(config: ProjectConfig, options: ProcfileEnvOptions): ProjectConfig {
  const base = basePort(options.env);
  const requests: PortRequest[] = config.services.map((s, i) => ({
    service: s.name,
    kind: 'preferred',
    port: Math.min(65535, base + PROCFILE_PORT_STEP * i),
  }));
  const ports = options.ports(requests);
  return {
    ...config,
    services: config.services.map((s) => {
      const port = ports.get(s.name) ?? null;
      const own = { ...(port === null ? {} : { PORT: String(port) }), PS: `${s.name}.1` };
      return { ...s, port, autostart: true, env: { ...options.dotenv, ...s.env, ...own } };
    }),
  };
}

function basePort(env: NodeJS.ProcessEnv): number {
  const n = Number(env.PORT);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : PROCFILE_BASE_PORT;
}
