import type { DaemonApp, DaemonContext } from '../kit/define.js';
import type { Supervisor } from '../services/supervisor.js';
import type { ProjectConfig, ReloadResult } from '../services/types.js';
import { SERVICES_TYPE_DEFS } from './service-shape.js';

/** What tend's daemon keeps while it runs. */
export interface TendState {
  supervisor: Supervisor;
  config: ProjectConfig;
  /** Re-reads the configuration and applies the difference; throws (changing nothing) on a bad file. */
  reload: () => Promise<ReloadResult>;
  /** Aborted when the daemon shuts down. */
  signal: AbortSignal;
  resolvers: Record<string, unknown>;
}

/**
 * tend's daemon side: reads the project's services and supervises them
 * (what a killed daemon left behind is reaped by the kit first, see reap.ts). The supervisor and GraphQL code
 * load inside start(), so `start`'s validation pays only for the config.
 */
export const tendApp: DaemonApp<TendState> = {
  typeDefs: SERVICES_TYPE_DEFS,
  async validate({ projectDir, warn }) {
    const { loadProjectConfig } = await import('../services/config/index.js');
    const config = loadProjectConfig(projectDir);
    for (const warning of config.warnings ?? []) warn(warning);
    return config.daemon;
  },
  async start(ctx) {
    // Together: each import is a file to read and compile, and start waits on all.
    const [{ loadProjectConfig, diffConfigs }, { Supervisor }, { serviceResolvers }, { foregroundPrinter }] = await Promise.all([
      import('../services/config/index.js'),
      import('../services/supervisor.js'),
      import('./schema.js'),
      import('./foreground.js'),
    ]);
    const config = loadProjectConfig(ctx.projectDir);
    // `run` printed them already (validate), and its log is that same terminal.
    if (!ctx.foreground) logWarnings(ctx, config);
    const supervisor = new Supervisor(config, {
      instanceDir: ctx.paths.dir,
      // tend's own files (state, logs) never trigger a watch.
      watchIgnore: [ctx.paths.stateRoot, ctx.paths.dir],
      log: ctx.log,
      output: ctx.foreground ? foregroundPrinter(config, ctx.output) : undefined,
    });
    const state: TendState = {
      supervisor,
      config,
      signal: ctx.signal,
      resolvers: {},
      async reload() {
        const next = loadProjectConfig(ctx.projectDir);
        logWarnings(ctx, next);
        const diff = diffConfigs(state.config, next);
        await supervisor.reload(next, diff);
        state.config = next;
        ctx.notifyChange();
        return diff;
      },
    };
    state.resolvers = serviceResolvers(state);
    supervisor.onEvent(() => ctx.notifyChange());
    await supervisor.start();
    if (config.services.length) ctx.log(`supervising ${config.services.length} service(s) from ${config.file}`);
    return state;
  },
  async stop(state) {
    await state.supervisor.close();
  },
  stopBudgetMs: (state) => state.supervisor.stopBudgetMs(),
  resolvers: (state) => state.resolvers,
  async reload(state) {
    const diff = await state.reload();
    return describeReload(diff);
  },
  snapshot: (state) => ({ services: state.supervisor.list() }),
};

function logWarnings(ctx: DaemonContext, config: ProjectConfig): void {
  for (const warning of config.warnings ?? []) ctx.log(`warning: ${warning}`);
}

/** `added: a; removed: b; changed: c; unchanged: 2`. */
export function describeReload(diff: ReloadResult): string {
  const parts = [
    diff.added.length ? `added ${diff.added.join(', ')}` : '',
    diff.removed.length ? `removed ${diff.removed.join(', ')}` : '',
    diff.changed.length ? `restarted ${diff.changed.join(', ')}` : '',
    `${diff.unchanged.length} unchanged`,
  ];
  return parts.filter(Boolean).join('; ');
}

export type { DaemonContext };
