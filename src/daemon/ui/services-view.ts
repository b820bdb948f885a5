/// <reference lib="dom" />
import { duration, h, since } from './format.js';

/** A service as the dashboard sees it (a `port` shows when the daemon reports one). */
export interface UiService {
  name: string;
  state: string;
  pid: number | null;
  port?: number | null;
  restarts: number;
  ready: boolean;
  startedAt: string | null;
  reason: string | null;
}

/** What a row's buttons do. */
export interface RowActions {
  act: (action: 'start' | 'stop' | 'restart', name: string) => void;
  showLog: (name: string) => void;
}

const FIELDS = ['state', 'pid', 'port', 'uptime', 'restarts', 'ready', 'reason'] as const;

/**
 * The services table: one row per service, made once and updated in place,
 * so a keyboard user's focus on a button survives every update.
 */
export class ServicesView {
  private readonly rows = new Map<string, { tr: HTMLTableRowElement; cells: Record<(typeof FIELDS)[number], HTMLTableCellElement>; service: UiService }>();

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly actions: RowActions,
  ) {}

  /** Shows exactly `services`, in their order. */
  update(services: UiService[], now = Date.now()): void {
    const names = new Set(services.map((s) => s.name));
    for (const [name, row] of this.rows) if (!names.has(name)) (row.tr.remove(), this.rows.delete(name));
    for (const service of services) {
      const row = this.rows.get(service.name) ?? this.makeRow(service.name);
      row.service = service;
      this.body.append(row.tr); // keeps configuration order
      this.fill(row, now);
    }
  }

  /** Re-renders the uptimes (a local clock; no request). */
  tick(now = Date.now()): void {
    for (const row of this.rows.values()) row.cells.uptime.textContent = uptime(row.service, now);
  }

  private fill(row: { tr: HTMLTableRowElement; cells: Record<(typeof FIELDS)[number], HTMLTableCellElement>; service: UiService }, now: number): void {
    const s = row.service;
    row.tr.dataset.state = s.state;
    row.cells.state.textContent = s.state;
    row.cells.pid.textContent = s.pid === null ? '–' : String(s.pid);
    row.cells.port.replaceChildren(s.port ? h('a', { href: `http://${location.hostname}:${s.port}/`, target: '_blank', rel: 'noopener noreferrer' }, String(s.port)) : '–');
    row.cells.uptime.textContent = uptime(s, now);
    row.cells.restarts.textContent = String(s.restarts);
    row.cells.ready.textContent = s.ready ? 'yes' : 'no';
    row.cells.reason.textContent = s.reason ?? '';
  }

  private makeRow(name: string) {
    const cells = Object.fromEntries(FIELDS.map((f) => [f, h('td', { 'data-field': f })])) as Record<(typeof FIELDS)[number], HTMLTableCellElement>;
    const button = (label: string, aria: string, onClick: () => void) => {
      const b = h('button', { type: 'button', 'aria-label': aria }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const actions = h(
      'td',
      { class: 'actions' },
      button('Start', `Start ${name}`, () => this.actions.act('start', name)),
      button('Stop', `Stop ${name}`, () => this.actions.act('stop', name)),
      button('Restart', `Restart ${name}`, () => this.actions.act('restart', name)),
      button('Log', `Show the log of ${name}`, () => this.actions.showLog(name)),
    );
    const tr = h('tr', { 'data-service': name }, h('th', { scope: 'row' }, name), ...FIELDS.map((f) => cells[f]), actions);
    const row = { tr, cells, service: { name } as UiService };
    this.rows.set(name, row);
    return row;
  }
}

function uptime(s: UiService, now: number): string {
  const up = s.state === 'running' ? since(s.startedAt, now) : null;
  return up === null ? '–' : duration(up);
}
