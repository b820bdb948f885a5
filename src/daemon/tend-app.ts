import type { DaemonApp, DaemonContext } from '../kit/define.js';
import type { Supervisor } from '../services/supervisor.js';
import type { ProjectConfig, ReloadResult } from '../services/types.js';
import { SERVICES_TYPE_DEFS } from './service-shape.js';
import { checkLaunch, initialServices, readLaunch } from './launch.js';
import { describeEndpointPort } from './endpoint-port.js';
import { LOG_TYPE_DEFS } from './log-shape.js';

/** What tend's daemon keeps while it runs. */
export interface TendState {
  supervisor: Supervisor;
  config: ProjectConfig;
  /** The file the configuration came from and its digest (with .env) when it was read. */
  loaded: { file: string | null; digest: string };
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
  async validate({ projectDir, configFile, launch, warn }) {
    const { loadProjectConfig } = await import('../services/config/index.js');
    const options = readLaunch(launch);
    const config = loadProjectConfig(projectDir, { file: configFile, profiles: options.profiles });
    for (const warning of config.warnings ?? []) warn(warning);
    if (config.kind === 'none') warn(`no tend.yaml or Procfile found in ${projectDir} or above; the daemon runs with no services`);
    checkLaunch(options, config);
    return config.daemon;
  },
  async start(ctx) {
    // Together: each import is a file to read and compile, and start waits on all.
    const [{ diffConfigs, configDigest }, { Supervisor }, { serviceResolvers }, { foregroundPrinter }, { loadWithLeases }, { portRange }, { portInUseCheck }] =
      await Promise.all([
        import('../services/config/index.js'),
        import('../services/supervisor.js'),
        import('./schema.js'),
        import('./foreground.js'),
        import('./load-config.js'),
        import('../services/ports/range.js'),
        import('../services/ports/in-use-check.js'),
      ]);
    const launch = readLaunch(ctx.launch);
    const load = () =>
      loadWithLeases(
        ctx.projectDir,
        { file: ctx.configFile, profiles: launch.profiles },
        { stateRoot: ctx.paths.stateRoot, projectDir: ctx.projectDir, instanceDir: ctx.paths.dir, range: portRange(), log: ctx.log },
      );
    const config = await load();
    checkLaunch(launch, config);
    // `run` printed them already (validate), and its log is that same terminal.
    if (!ctx.foreground) logWarnings(ctx, config);
    const supervisor = new Supervisor(config, {
      instanceDir: ctx.paths.dir,
      // tend's own files (state, logs) never trigger a watch.
      watchIgnore: [ctx.paths.stateRoot, ctx.paths.dir],
      log: ctx.log,
      output: ctx.foreground ? foregroundPrinter(config, ctx.output, ctx.json) : undefined,
      portInUse: portInUseCheck(ctx.paths.stateRoot),
    });
    const state: TendState = {
      supervisor,
      config,
      loaded: { file: config.file, digest: configDigest(ctx.projectDir, config.file) },
      signal: ctx.signal,
      resolvers: {},
      async reload() {
        const next = await load();
        logWarnings(ctx, next);
        const diff = diffConfigs(state.config, next);
        await supervisor.reload(next, diff);
        state.config = next;
        state.loaded = { file: next.file, digest: configDigest(ctx.projectDir, next.file) };
        ctx.notifyChange();
        return diff;
      },
    };
    state.resolvers = serviceResolvers(state);
    supervisor.onEvent(() => ctx.notifyChange());
    await supervisor.start(initialServices(launch, config));
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
  describePortInUse(port, paths) {
    return describeEndpointPort(port, paths.stateRoot);
  },
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
