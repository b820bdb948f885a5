import { parseArgs } from 'node:util';
import { markerName } from './daemon-args.js';
import { runDaemon } from './run-daemon.js';
import type { DaemonDefinition } from '../define.js';
import { errnoOf, toDaemonError } from '../errors.js';
import { envPrefix, instancePaths, stateRoot } from '../state/paths.js';
import { openReadyPipe } from './ready-pipe.js';
import { parseTestFaults } from './test-faults.js';

/**
 * The detached daemon's side of `main`: parses the arguments `start` gave it,
 * opens the ready pipe and runs the daemon; returns the exit code. Failures
 * before ready are reported on the pipe and in the log.
 */
export async function daemonMode(def: DaemonDefinition<any>, argv: string[]): Promise<number> {
  // The marker must not reach anything the daemon spawns.
  delete process.env[markerName(def.name)];
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'state-root': { type: 'string' },
      'ready-query': { type: 'string' },
      file: { type: 'string' },
      launch: { type: 'string' },
    },
  });
  const prefix = envPrefix(def.name);
  const paths = instancePaths(values['state-root'] ?? stateRoot({ name: def.name }), values.dir!);
  process.title = `${def.name} daemon ${values.dir}`;
  const pipe = openReadyPipe(true);
  try {
    return await runDaemon(def, {
      paths,
      host: values.host ?? '127.0.0.1',
      port: Number(values.port ?? 0),
      foreground: false,
      pipe,
      faults: parseTestFaults(process.env[`${prefix}_TEST_FAULT`]),
      introspection: process.env[`${prefix}_GRAPHQL_INTROSPECTION`] === '1',
      readyQuery: values['ready-query'],
      configFile: values.file ?? null,
      launch: values.launch === undefined ? undefined : JSON.parse(values.launch),
      uiCodeTtlMs: testNumber(process.env[`${prefix}_TEST_UI_CODE_TTL_MS`]),
    });
  } catch (err) {
    // Already reported on the ready pipe; the log gets the detail.
    const e = toDaemonError(err, 'START_FAILED');
    pipe.send({ ok: false, code: errnoOf(e) ?? e.code, message: e.message });
    process.stderr.write(`${new Date().toISOString()} daemon exiting: ${(err as Error).message}\n`);
    return 1;
  }
}

// A test-only knob: unset (every real run), the default applies.
function testNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n >= 0 ? n : undefined;
}
