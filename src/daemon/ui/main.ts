/// <reference lib="dom" />
/**
 * The dashboard page: one `status` subscription (the daemon pushes on every
 * service event) drives a re-read of the services; the chosen service's log
 * streams over its own subscription. When the stream ends the daemon is shown
 * stopped and the page retries its own origin until the daemon is back.
 */
import { SERVICE_SELECTION } from '../service-shape.js';
import { duration, megabytes, since } from './format.js';
import { gql, SessionError, subscribe } from './graphql.js';
import { LogView } from './log-view.js';
import { ServicesView, type UiService } from './services-view.js';

interface DaemonStatus {
  pid: number;
  startedAt: string;
  projectDir: string;
  version: string;
  memory: { rss: number };
}

const STATUS = 'status { pid startedAt projectDir version memory { rss } }';
const RETRY_MS = 1_000;
const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;

const connection = $<HTMLElement>('#connection');
const errorBox = $<HTMLElement>('#error');
const field = (name: string) => $<HTMLElement>(`#daemon [data-field="${name}"]`);
let daemon: DaemonStatus | null = null;
let logName: string | null = null;
let logAbort: AbortController | null = null;

const services = new ServicesView($('#services tbody'), { act: (action, name) => void act(`${action}Service(name: $name) { name }`, { name }), showLog });
const log = new LogView($('#log'), $('#log-filter'));
$<HTMLInputElement>('#log-times').addEventListener('change', (e) => document.body.classList.toggle('no-times', !(e.target as HTMLInputElement).checked));
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-all]')) {
  b.addEventListener('click', () => void act(`${b.dataset.all}Services { name }`, {}));
}

async function act(field: string, variables: Record<string, unknown>): Promise<void> {
  errorBox.textContent = '';
  const vars = 'name' in variables ? '($name: String!)' : '';
  try {
    await gql(`mutation ${vars} { ${field} }`, variables);
  } catch (err) {
    errorBox.textContent = (err as Error).message;
  }
}

let refreshing: Promise<void> | null = null;
let again = false;
// Events can come in bursts: one read in flight, at most one more after it.
function refresh(): Promise<void> {
  if (refreshing) return ((again = true), refreshing);
  refreshing = (async () => {
    do {
      again = false;
      const data = await gql<{ services: UiService[] } & { status: DaemonStatus }>(`{ ${STATUS} services ${SERVICE_SELECTION} }`);
      showDaemon(data.status);
      services.update(data.services);
      if (!logName && data.services[0]) showLog(data.services[0].name);
    } while (again);
  })().finally(() => (refreshing = null));
  return refreshing;
}

function showDaemon(status: DaemonStatus | null): void {
  daemon = status;
  document.body.dataset.daemon = status ? 'running' : 'stopped';
  field('state').textContent = status ? 'running' : 'stopped';
  if (!status) return;
  $<HTMLElement>('#project').textContent = status.projectDir.split('/').pop() ?? '';
  document.title = `tend · ${status.projectDir.split('/').pop()}`;
  field('pid').textContent = String(status.pid);
  field('memory').textContent = megabytes(status.memory.rss);
  field('project').textContent = status.projectDir;
  field('version').textContent = status.version;
  tick();
}

function tick(): void {
  const now = Date.now();
  field('uptime').textContent = daemon ? duration(since(daemon.startedAt, now) ?? 0) : '–';
  services.tick(now);
}

function showLog(name: string): void {
  logName = name;
  $<HTMLElement>('#log-title').textContent = `Log: ${name}`;
  logAbort?.abort();
  const abort = (logAbort = new AbortController());
  log.clear();
  subscribe<{ serviceLog: { line: string; at: string | null } }>(
    'subscription ($name: String!) { serviceLog(name: $name, tail: 200) { line at } }',
    { name },
    (d) => log.add(d.serviceLog.line, d.serviceLog.at),
    abort.signal,
  ).catch(() => {});
}

async function live(): Promise<void> {
  for (;;) {
    const abort = new AbortController();
    try {
      await refresh();
      connection.textContent = 'live';
      if (logName) showLog(logName);
      await subscribe(`subscription { ${STATUS} }`, {}, (d: { status: DaemonStatus }) => (showDaemon(d.status), void refresh().catch(() => {})), abort.signal);
    } catch (err) {
      if (err instanceof SessionError) {
        showDaemon(null);
        connection.textContent = 'daemon restarted: run `tend ui` again';
        document.body.dataset.session = 'refused';
        return;
      }
    }
    abort.abort();
    logAbort?.abort();
    showDaemon(null);
    connection.textContent = 'daemon stopped: reconnecting…';
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

setInterval(tick, 1_000);
void live();
