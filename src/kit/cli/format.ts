import type { DaemonState } from '../lifecycle/liveness.js';
import type { CliExtensions } from './spec.js';

const CODES = { green: 32, yellow: 33, red: 31, dim: 2, bold: 1, cyan: 36 } as const;

/** Wraps `text` in an ANSI colour when `on`. */
export function paint(on: boolean, colour: keyof typeof CODES, text: string): string {
  return on ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

/** `3h 2m`, `4m 10s`, `12s`. */
export function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Bytes as `52.1 MB`. */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The status JSON of CONTRACT for any state. */
export function stateJson(state: DaemonState, ext?: CliExtensions['status']): Record<string, unknown> {
  if (state.state === 'stopped') return { state: 'stopped', pid: null };
  if (state.state === 'running') {
    const { live, metadata } = state;
    return {
      state: 'running',
      pid: live.pid,
      instanceId: live.instanceId,
      endpoint: metadata.endpoint,
      version: live.version,
      startedAt: live.startedAt,
      uptimeSeconds: Math.round(live.uptimeSeconds * 1000) / 1000,
      logFile: live.logFile,
      projectDir: live.projectDir,
      foreground: live.foreground,
      requestsServed: live.requestsServed,
      droppedLines: live.droppedLines,
      memory: live.memory,
      ...(ext ? ext.json(state.extra) : {}),
    };
  }
  const m = state.metadata;
  return {
    state: state.state,
    reason: state.reason,
    pid: m?.pid ?? (state.state === 'unknown' ? state.confirmedPid : null),
    instanceId: m?.instanceId ?? null,
    endpoint: m?.endpoint ?? null,
    version: m?.version ?? null,
    startedAt: m?.startedAt ?? null,
    logFile: m?.logFile ?? null,
  };
}

/** One `  key       value` line of the human status block (tools use it for their own rows). */
export function row(key: string, value: string, color: boolean): string {
  return `  ${paint(color, 'dim', key.padEnd(9))} ${value}`;
}

/** Human lines describing a running daemon. */
export function runningLines(
  name: string,
  state: Extract<DaemonState, { state: 'running' }>,
  color: boolean,
  ext?: CliExtensions['status'],
): string[] {
  const { live, metadata } = state;
  return [
    row('project', live.projectDir, color),
    row('endpoint', metadata.endpoint, color),
    row('version', live.version, color),
    row('log', live.logFile, color),
    row('memory', `${formatBytes(live.memory.rss)} rss`, color),
    ...(live.droppedLines > 0 ? [row('dropped', paint(color, 'yellow', `${live.droppedLines.toLocaleString('en-US')} log line(s): the disk was full or failing (see the log)`), color)] : []),
    ...(live.foreground ? [row('mode', `foreground (${name} run)`, color)] : []),
    ...(ext ? ext.human(state.extra, color) : []),
  ];
}
