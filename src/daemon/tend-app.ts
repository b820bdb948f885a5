import type { DaemonApp, DaemonContext } from '../kit/define.js';
import type { Supervisor } from '../services/supervisor.js';
import type { ConfigSource } from '../services/config/fingerprint.js';
import type { ProjectConfig, ReloadResult } from '../services/types.js';
import { SERVICES_TYPE_DEFS } from './service-shape.js';
import { LOG_TYPE_DEFS } from './log-shape.js';

/** What tend's daemon keeps while it runs. */
export interface TendState {
  supervisor: Supervisor;
  config: ProjectConfig;
  /** The file `config` came from and the sha256 of its text: `start` compares them with the disk. */
  source: ConfigSource;
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
  typeDefs: SERVICES_TYPE_DEFS + LOG_TYPE_DEFS,
  ui: async () => (await import('./ui/bundle.js')).uiBundle(),
  async validate({ projectDir, warn }) {
    const { loadProjectConfig } = await import('../services/config/index.js');
    const config = loadProjectConfig(projectDir);
    for (const warning of config.warnings ?? []) warn(warning);
    if (config.kind === 'none') warn(`no tend.yaml or Procfile found in ${projectDir} or above; the daemon runs with no services`);
    return config.daemon;
  },
  async start(ctx) {
    // Together: each import is a file to read and compile, and start waits on all.
    const [{ loadConfigWithSource, diffConfigs }, { Supervisor }, { serviceResolvers }, { foregroundPrinter }] = await Promise.all([
      import('../services/config/index.js'),
      import('../services/supervisor.js'),
      import('./schema.js'),
      import('./foreground.js'),
    ]);
    const { config, source } = loadConfigWithSource(ctx.projectDir);
    // `run` printed them already (validate), and its log is that same terminal.
    if (!ctx.foreground) logWarnings(ctx, config);
    const supervisor = new Supervisor(config, {
      instanceDir: ctx.paths.dir,
      // tend's own files (state, logs) never trigger a watch.
      watchIgnore: [ctx.paths.stateRoot, ctx.paths.dir],
      log: ctx.log,
      output: ctx.foreground ? foregroundPrinter(config, ctx.output, ctx.json) : undefined,
    });
    const state: TendState = {
      supervisor,
      config,
      source,
      signal: ctx.signal,
      resolvers: {},
      async reload() {
        const { config: next, source: nextSource } = loadConfigWithSource(ctx.projectDir);
        logWarnings(ctx, next);
        const diff = diffConfigs(state.config, next);
        await supervisor.reload(next, diff);
        state.config = next;
        state.source = nextSource;
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
  // TEND_START_SETTLE (seconds) overrides SETTLE_MS: a slow machine's services may need longer to fail.
  settle: (state, ctx) => state.supervisor.settle(settleMs(process.env.TEND_START_SETTLE), ctx.signal),
  async stop(state) {
    await state.supervisor.close();
  },
  stopBudgetMs: (state) => state.supervisor.stopBudgetMs(),
  resolvers: (state) => state.resolvers,
  async reload(state) {
    const diff = await state.reload();
    return describeReload(diff);
  },
  droppedLines: (state) => state.supervisor.list().reduce((sum, s) => sum + s.droppedLines, 0),
  snapshot: (state) => ({ services: state.supervisor.list() }),
};

function logWarnings(ctx: DaemonContext, config: ProjectConfig): void {
  for (const warning of config.warnings ?? []) ctx.log(`warning: ${warning}`);
}

function settleMs(raw: string | undefined): number | undefined {
  const seconds = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return seconds >= 0 && Number.isFinite(seconds) ? seconds * 1000 : undefined;
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
