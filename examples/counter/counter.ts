/**
 * counterd: the smallest useful tool on tend's daemon kit. The daemon keeps a
 * hit count and serves it over the kit's GraphQL endpoint; the CLI gets the
 * kit's start/run/status/stop/restart/logs and adds `hit`. SIGHUP resets the count.
 * Built only on the kit's public API.
 */
import {
  DaemonError,
  InputError,
  defineDaemon,
  graphqlRequest,
  probeDaemon,
  type Args,
  type CliExtensions,
  type CommandContext,
  type DaemonApp,
} from '../../src/index.js';

/** The daemon's state. Mutable: `reload` is handed this object and cannot replace it. */
interface Counter {
  hits: number;
}

/** The daemon side: schema additions, resolvers and lifecycle hooks. */
export const counterApp: DaemonApp<Counter> = {
  typeDefs: /* GraphQL */ `
    extend type Query {
      "Hits counted since the daemon started (or was last reset with SIGHUP)."
      hits: Int!
    }
    type Mutation {
      "Adds \`by\` hits; returns the new total."
      hit(by: Int = 1): Int!
    }
  `,
  resolvers: (state, ctx) => ({
    Query: { hits: () => state.hits },
    Mutation: {
      hit: (_: unknown, args: { by: number }) => {
        state.hits += args.by;
        ctx.notifyChange(); // `counter status --watch` updates at once
        return state.hits;
      },
    },
  }),
  start: async (ctx) => {
    ctx.log(`counting hits for ${ctx.projectDir}`);
    return { hits: 0 };
  },
  stop: async (state, ctx) => {
    ctx.log(`stopping with ${state.hits} hits`);
  },
  reload: async (state, ctx) => {
    const was = state.hits;
    state.hits = 0;
    ctx.notifyChange();
    return `hits reset to 0 (was ${was})`;
  },
  snapshot: (state) => ({ hits: state.hits }),
};

/** The tool: its name sets the state dir and the env vars (`COUNTER_STATE_DIR`, `COUNTER_DIR`). */
export const counter = defineDaemon({
  name: 'counter',
  version: '0.1.0',
  // A bigger tool would `import()` its daemon module here, so `status` never loads it.
  load: async () => counterApp,
});

/** `counter hit [--by N]`: adds hits through the running daemon and prints the total. */
export async function hitCommand(args: Args, ctx: CommandContext): Promise<number> {
  const by = args.by;
  if (typeof by !== 'number' || !Number.isSafeInteger(by)) {
    throw new InputError(`--by must be a whole number, not ${String(args.by)}`);
  }
  const name = ctx.def.name;
  const daemon = await probeDaemon(ctx.paths);
  if (daemon.state !== 'running') {
    const why = daemon.state === 'stopped' ? 'not running' : `${daemon.state}: ${daemon.reason}`;
    throw new DaemonError('NOT_RUNNING', `${why}; start it with '${name} start'`);
  }
  const data = await graphqlRequest<{ hit: number }>(daemon.metadata, 'mutation Hit($by: Int!) { hit(by: $by) }', { by }, { signal: ctx.signal });
  ctx.out(ctx.json ? JSON.stringify({ hits: data.hit }) + '\n' : `${name}: ${data.hit} hits\n`);
  return 0;
}

/** What counter adds to the kit's CLI: the `hit` command and the count in `status`/`start`. */
export const counterCli: CliExtensions = {
  commands: [
    {
      command: 'hit',
      describe: 'add hits to the running daemon and print the new total',
      options: { by: { type: 'number', describe: 'how many hits to add', default: 1 } },
      examples: [['counter hit --by 5', 'add five hits']],
      load: async () => hitCommand,
    },
  ],
  status: {
    selection: 'hits',
    // Matches the kit's own rows (two spaces, key padded to 9).
    human: (extra) => [`  ${'hits'.padEnd(9)} ${String(extra.hits)}`],
    json: (extra) => ({ hits: extra.hits }),
  },
};
