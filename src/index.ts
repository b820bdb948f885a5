/**
 * tend's daemon kit: a correct background mode for any TypeScript dev tool.
 * `defineDaemon` describes the tool; `main` is its whole CLI entry (start,
 * run, status, stop, restart, logs, and the detached daemon itself).
 */
export { defineDaemon } from './kit/define.js';
export type { DaemonApp, DaemonContext, DaemonDefinition, EndpointDefaults, ValidateContext } from './kit/define.js';
export { main } from './kit/main.js';
export type { CliExtensions, CommandSpec, CommandHandler, CommandContext, OptionSpec, Args } from './kit/cli/spec.js';
export { DaemonError, InputError, TimeoutError } from './kit/errors.js';
export type { ErrorCode } from './kit/errors.js';
export { probeDaemon } from './kit/liveness.js';
export type { DaemonState } from './kit/liveness.js';
export { stopAndWait } from './kit/stop.js';
export type { StopResult } from './kit/stop.js';
export { startDaemon } from './kit/start.js';
export type { StartResult } from './kit/start.js';
export { graphqlRequest } from './kit/client.js';
export { subscribe } from './kit/sse-client.js';
export { instancePaths, stateRoot, findProjectDir } from './kit/paths.js';
export type { InstancePaths } from './kit/paths.js';
export type { LiveStatus } from './kit/status-shape.js';
export type { Metadata } from './kit/metadata.js';
