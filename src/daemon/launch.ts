import type { Args } from '../kit/cli/spec.js';
import { InputError } from '../kit/errors.js';
import type { ProjectConfig } from '../services/types.js';

/** What tend's daemon is launched with: the services to start and the active profiles. */
export interface TendLaunch {
  /** `start NAME…`/`run NAME…`: only these (and their dependencies); empty: every autostart service. */
  services: string[];
  /** `--profile` (repeatable) and `TEND_PROFILES=a,b`. */
  profiles: string[];
}

/** The launch options of `start`/`run`/`restart` from their arguments and tend's environment. */
export function tendLaunch(args: Args, env: NodeJS.ProcessEnv): TendLaunch {
  const flags = ([] as unknown[]).concat(args.profile ?? []).map(String);
  const fromEnv = (env.TEND_PROFILES ?? '').split(',');
  const profiles = [...new Set([...flags.flatMap((p) => p.split(',')), ...fromEnv].map((p) => p.trim()).filter(Boolean))];
  const services = ((args.services as string[] | undefined) ?? []).map(String);
  return { services, profiles };
}

/** Reads the launch options back in the daemon (JSON from the command line), tolerating their absence. */
export function readLaunch(value: unknown): TendLaunch {
  const v = (value ?? {}) as Partial<TendLaunch>;
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  return { services: list(v.services), profiles: list(v.profiles) };
}

/** Throws when a named service is not in the configuration. */
export function checkLaunch(launch: TendLaunch, config: ProjectConfig): void {
  const known = config.services.map((s) => s.name);
  const unknown = launch.services.filter((name) => !known.includes(name));
  if (unknown.length) {
    const list = known.length ? `services: ${known.join(', ')}` : 'this project has no services';
    throw new InputError(`no service named ${unknown.map((n) => `"${n}"`).join(', ')} (${list})`, { code: 'SERVICE_UNKNOWN' });
  }
}

/** The services a fresh daemon starts: the named ones, else every service with `autostart` and an active (or no) profile. */
export function initialServices(launch: TendLaunch, config: ProjectConfig): string[] {
  if (launch.services.length) return launch.services;
  return config.services.filter((s) => s.autostart !== false).map((s) => s.name);
}
