import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { makeSandbox, type Sandbox } from '../helpers/sandbox.js';

// A service that prints a marker line on SIGUSR2, one that stays up, and one
// that is never restarted (its row must show the kill).
const CONFIG = `
services:
  talker:
    command: ["node", "-e", "process.on('SIGUSR2', () => console.log('marker ' + process.pid)); console.log('talker up'); setInterval(() => {}, 1e9)"]
    ready: { log: "talker up" }
  web:
    command: ["node", "-e", "console.log('web up'); setInterval(() => {}, 1e9)"]
    restart: always
  once:
    command: ["node", "-e", "console.log('once up'); setInterval(() => {}, 1e9)"]
    restart: "no"
`;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

async function started(t: Parameters<typeof makeSandbox>[0], env: NodeJS.ProcessEnv = {}): Promise<Sandbox> {
  const box = makeSandbox(t, { 'tend.yaml': CONFIG });
  const r = await box.cli(['start', '--wait'], { env });
  assert.equal(r.code, 0, r.stderr);
  return box;
}

async function loginUrl(box: Sandbox): Promise<string> {
  const r = await box.cli(['ui', '--json', '--no-open']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { url: string }).url;
}

async function openDashboard(t: { after: (fn: () => Promise<void>) => void }, box: Sandbox): Promise<Page> {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(await loginUrl(box));
  await page.locator('#connection', { hasText: 'live' }).waitFor();
  return page;
}

const cell = (page: Page, service: string, field: string) => page.locator(`tr[data-service="${service}"] td[data-field="${field}"]`);
const pidOf = async (page: Page, service: string) => Number(await cell(page, service, 'pid').textContent());
/** What a cell must show: exactly `is`, anything but `not`, or a pid (digits) other than `not`. */
type Want = { is?: string; not?: string; pid?: boolean };

/** Waits (on DOM changes, in the page) until a service's cell shows what is wanted; returns its text. */
async function waitText(page: Page, service: string, field: string, want: Want): Promise<string> {
  const selector = `tr[data-service="${service}"] td[data-field="${field}"]`;
  const handle = await page.waitForFunction(
    ({ selector, want }) => {
      const text = document.querySelector(selector)?.textContent ?? '';
      const ok = (want.is === undefined || text === want.is) && (want.not === undefined || text !== want.not) && (!want.pid || /^\d+$/.test(text));
      return ok ? text : null;
    },
    { selector, want },
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as string;
}

test('the login link leads to a URL without the code, and the page lists every service with its pid', async (t) => {
  const box = await started(t);
  const page = await openDashboard(t, box);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(new URL(page.url()).search, '');
  const ps = JSON.parse((await box.cli(['ps', '--json'])).stdout).services as { name: string; pid: number }[];
  for (const s of ps) {
    assert.equal(await cell(page, s.name, 'state').textContent(), 'running');
    assert.equal(await pidOf(page, s.name), s.pid);
  }
  assert.equal(await page.locator('#daemon [data-field="state"]').textContent(), 'running');
  assert.equal(await page.locator('#daemon [data-field="project"]').textContent(), box.projectDir);
});

test('a service killed by pid changes its row live; Restart gives a new pid; Stop all and Start all', async (t) => {
  const box = await started(t);
  const page = await openDashboard(t, box);
  const once = await pidOf(page, 'once');
  process.kill(once, 'SIGKILL');
  await waitText(page, 'once', 'state', { not: 'running' });
  assert.equal(await cell(page, 'once', 'pid').textContent(), '–');

  const web = await pidOf(page, 'web');
  await page.getByRole('button', { name: 'Restart web', exact: true }).click();
  const newPid = Number(await waitText(page, 'web', 'pid', { pid: true, not: String(web) }));
  assert.notEqual(newPid, web);

  await page.getByRole('button', { name: 'Stop all services', exact: true }).click();
  for (const name of ['talker', 'web', 'once']) await waitText(page, name, 'state', { is: 'stopped' });
  await page.getByRole('button', { name: 'Start all services', exact: true }).click();
  for (const name of ['talker', 'web', 'once']) await waitText(page, name, 'state', { is: 'running' });
});

test('a service log streams live into the page, with timestamps and a filter', async (t) => {
  const box = await started(t);
  const page = await openDashboard(t, box);
  await page.getByRole('button', { name: 'Show the log of talker', exact: true }).click();
  await page.locator('#log li', { hasText: 'talker up' }).waitFor();
  const talker = await pidOf(page, 'talker');
  process.kill(talker, 'SIGUSR2');
  const line = page.locator('#log li', { hasText: `marker ${talker}` });
  await line.waitFor();
  const at = await line.locator('time').getAttribute('datetime');
  assert.ok(at && !Number.isNaN(Date.parse(at)), `timestamp ${at}`);
  await page.getByLabel('Filter log lines').fill('marker');
  await page.locator('#log li', { hasText: 'talker up' }).waitFor({ state: 'hidden' });
  assert.ok(await line.isVisible());
  await page.getByLabel('Filter log lines').fill('');
  await page.locator('#log li', { hasText: 'talker up' }).waitFor({ state: 'visible' });
});

test('a page on another origin cannot read status or call a mutation with the browser\'s session', async (t) => {
  const box = await started(t);
  const page = await openDashboard(t, box);
  const daemon = new URL(page.url()).origin;
  const web = await pidOf(page, 'web');
  // Same host, another port: the same *site*, so the SameSite=Strict cookie is sent along.
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => evil.close(() => r())));
  const evilPage = await page.context().newPage();
  await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  const results = (await evilPage.evaluate(`(async (target) => {
    const json = { 'content-type': 'application/json' };
    const attempts = [
      ['/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: '{ status { pid } }' }) }],
      ['/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: 'mutation { stopService(name: "web") { name } }' }) }],
      ['/graphql?query=%7Bstatus%7Bpid%7D%7D', { method: 'GET' }],
      ['/graphql', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { stopServices { name } }' }) }],
      ['/', { method: 'GET' }],
    ];
    const out = [];
    for (const [path, init] of attempts) {
      try {
        const res = await fetch(target + path, { credentials: 'include', ...init });
        out.push('status ' + res.status + ': ' + (await res.text()));
      } catch (err) {
        out.push('failed: ' + err.message);
      }
    }
    return out;
  })(${JSON.stringify(daemon)})`)) as string[];
  for (const r of results) assert.ok(r.startsWith('failed') || /^status (0|4\d\d)/.test(r), r);
  assert.ok(results.every((r) => !r.includes('"pid"')), results.join('\n'));
  // Nothing was stopped: the dashboard, still logged in, shows web running with the same pid.
  const ps = JSON.parse((await box.cli(['ps', '--json'])).stdout).services as { name: string; state: string; pid: number }[];
  assert.deepEqual(ps.map((s) => s.state), ['running', 'running', 'running']);
  assert.equal(ps.find((s) => s.name === 'web')!.pid, web);
  assert.equal((await page.evaluate(() => fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ status { pid } }"}' }).then((r) => r.status))), 200);
});

test('a reused login link and a late one get a page saying to run tend ui; neither logs in', async (t) => {
  const box = await started(t, { TEND_TEST_UI_CODE_TTL_MS: '1' });
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const late = await loginUrl(box);
  const res = await page.goto(late);
  assert.equal(res?.status(), 403);
  assert.match(await page.locator('body').innerText(), /expired[\s\S]*Run `tend ui`/);
  assert.deepEqual(await context.cookies(), []);

  const box2 = await started(t);
  const url = await loginUrl(box2);
  const used = await browser.newContext();
  t.after(() => used.close());
  const first = await used.newPage();
  await first.goto(url);
  const again = await (await browser.newContext()).newPage();
  t.after(() => again.context().close());
  const second = await again.goto(url);
  assert.equal(second?.status(), 403);
  assert.match(await again.locator('body').innerText(), /already used[\s\S]*Run `tend ui`/);
  assert.deepEqual(await again.context().cookies(), []);
});

test('a stopped daemon shows as stopped; back on the same port with new logins, the page says to run tend ui again', async (t) => {
  const box = await started(t);
  const page = await openDashboard(t, box);
  const port = new URL(page.url()).port;
  assert.equal((await box.cli(['stop'])).code, 0);
  await page.locator('#daemon [data-field="state"]', { hasText: 'stopped' }).waitFor();
  await page.locator('#connection', { hasText: 'daemon stopped' }).waitFor();
  const again = await box.cli(['start', '--port', port]);
  assert.equal(again.code, 0, again.stderr);
  await page.locator('#connection', { hasText: 'daemon restarted: run `tend ui` again' }).waitFor();
});

test('every button is reachable with Tab and has a label', async (t) => {
  const box = await started(t);
  const page = await openDashboard(t, box);
  const buttons = await page.locator('button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  assert.ok(buttons.length >= 3 + 3 * 4, `${buttons.length} buttons`);
  assert.ok(buttons.every((l) => l.length > 0), 'every button has an aria-label');
  const reached = new Set<string>();
  for (let i = 0; i < buttons.length + 20; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => (document.activeElement?.tagName === 'BUTTON' ? document.activeElement.getAttribute('aria-label') : null));
    if (label) reached.add(label);
  }
  assert.deepEqual([...reached].sort(), [...buttons].sort());
  assert.equal(await page.getByRole('status').count(), 1);
  assert.equal(await page.getByRole('table').count(), 1);
  assert.ok(await page.getByLabel('Filter log lines').isVisible());
  // Enter on a focused button acts: Stop once, from the keyboard.
  await page.getByRole('button', { name: 'Stop once', exact: true }).focus();
  await page.keyboard.press('Enter');
  await waitText(page, 'once', 'state', { is: 'stopped' });
  await page.getByRole('button', { name: 'Start once', exact: true }).focus();
  await page.keyboard.press('Enter');
  await waitText(page, 'once', 'state', { is: 'running' });
});
