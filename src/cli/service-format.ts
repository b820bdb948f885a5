import Table from 'cli-table3';
import { formatDuration, paint } from '../kit/cli/format.js';
import { lastExitCell } from '../services/exit-description.js';
import type { ServiceInfo, ServiceState } from '../services/types.js';

const STATE_COLOUR: Record<ServiceState, 'green' | 'yellow' | 'red' | 'dim' | 'cyan'> = {
  running: 'green',
  starting: 'cyan',
  pending: 'cyan',
  backoff: 'yellow',
  exited: 'dim',
  stopped: 'dim',
  failed: 'red',
};

/** `1,234 output lines dropped: …`, for a service whose log could not take them. */
export function droppedText(lines: number): string {
  return `${lines.toLocaleString('en-US')} output line(s) dropped: the disk was full or failing (see the daemon log)`;
}

/** The `ps` table: name, state, pid, port, uptime, restarts, ready, last exit. */
export function servicesTable(services: ServiceInfo[], color: boolean, now = Date.now()): string {
  const table = new Table({
    head: ['NAME', 'STATE', 'PID', 'PORT', 'UPTIME', 'RESTARTS', 'READY', 'LAST EXIT'],
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const s of services) {
    const live = s.state === 'running' || s.state === 'starting';
    const uptime = live && s.startedAt ? formatDuration((now - Date.parse(s.startedAt)) / 1000) : '-';
    const exit = lastExitCell(s.exitCode, s.exitSignal);
    table.push([
      s.name,
      paint(color, STATE_COLOUR[s.state] ?? 'dim', s.state),
      s.pid === null ? '-' : String(s.pid),
      s.port === null || s.port === undefined ? '-' : String(s.port),
      uptime,
      String(s.restarts),
      readyCell(s),
      exit,
    ]);
  }
  const reasons = [
    ...services.filter((s) => s.reason).map((s) => `  ${s.name}: ${s.reason}`),
    ...services.filter((s) => s.droppedLines > 0).map((s) => `  ${s.name}: ${droppedText(s.droppedLines)}`),
  ];
  const text = table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
  return text + '\n' + (reasons.length ? reasons.join('\n') + '\n' : '');
}

/** READY: yes/no while a process runs; `done` for a one-shot that completed (exit 0); `-` otherwise. */
export function readyCell(s: Pick<ServiceInfo, 'state' | 'ready' | 'exitCode'>): string {
  if (s.state === 'running' || s.state === 'starting') return s.ready ? 'yes' : 'no';
  if (s.state === 'exited' && s.exitCode === 0) return 'done';
  return '-';
}
