/**
 * tend's daemon kit: a correct background mode for any TypeScript dev tool.
 * `defineDaemon` describes the tool; `main` is its whole CLI entry (start,
 * run, status, stop, restart, logs, ls, completion, and the detached daemon itself).
 */
export { defineDaemon } from './kit/define.js';
export type { DaemonApp, DaemonContext, DaemonDefinition, EndpointDefaults, ReapContext, ReapHook, ReapReport, ValidateContext } from './kit/define.js';
export { main } from './kit/main.js';
export type { CliExtensions, CommandSpec, CommandHandler, CommandContext, OptionSpec, Args } from './kit/cli/spec.js';
export { DaemonError, InputError, TimeoutError } from './kit/errors.js';
export type { ErrorCode } from './kit/errors.js';
export { probeDaemon } from './kit/lifecycle/liveness.js';
export type { DaemonState } from './kit/lifecycle/liveness.js';
export { stopAndWait } from './kit/lifecycle/stop-daemon.js';
export type { StopResult } from './kit/lifecycle/stop-daemon.js';
export { startDaemon } from './kit/lifecycle/start-daemon.js';
export type { StartResult } from './kit/lifecycle/start-daemon.js';
export { graphqlRequest } from './kit/client/graphql-request.js';
export { askDaemon, subscribeDaemon, type DaemonTarget, type AskOptions } from './kit/client/ask-daemon.js';
export { ANSWER_TIMEOUT_MS } from './kit/client/deadline.js';
export { EXIT } from './kit/exit-codes.js';
export { pollUntil } from './kit/poll.js';
export type { PollOptions, PollOutcome } from './kit/poll.js';
export { identify } from './kit/process/identify.js';
export type { Identity, ProcessRecord } from './kit/process/identify.js';
export { subscribe } from './kit/client/subscribe.js';
export { instancePaths, stateRoot, findProjectDir } from './kit/state/paths.js';
export type { InstancePaths } from './kit/state/paths.js';
export { checkTrusted, UnsafeStateError } from './kit/state/trust.js';
export type { LiveStatus } from './kit/server/status-shape.js';
export type { Metadata } from './kit/state/metadata.js';
export { listInstances } from './kit/state/instances.js';
export type { InstanceEntry } from './kit/state/instances.js';
export { LogSnapshot } from './kit/log/log-source.js';
export type { SnapshotFile, Verdict } from './kit/log/log-source.js';
export { DAEMON_LOG_FORMAT } from './kit/log/log-record.js';
export type { LogFormat, LogRecord, RecordParser } from './kit/log/log-record.js';
export { followFile } from './kit/log/follow.js';
export { runCached, saveCodeCache } from './kit/code-cache.js';
export type { CodeCacheOptions, CodeCacheUse } from './kit/code-cache.js';
