// The dashboard's figures: page size (bytes, gzip), load time on loopback
// (navigation to the first services render), a state change's way to the page
// (kill -> row updated), and the daemon's RSS with and without a dashboard open.
// In `npm run bench` as figure `dashboard`; alone:
//   node scripts/bench/dashboard.mjs [--runs N] [--screenshot docs/dashboard.png]
// (the screenshot is of the demo project, examples/demo).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { freePort, graphql, STATUS_QUERY, sandbox, sleep, startTend, stopTend, summary, tend, tendCli, removeSandboxes, sweep } from './lib.mjs';
import { row, settledRss } from './figures.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A sandbox holding the demo project, on free ports. */
async function demoSandbox() {
  const sb = sandbox('dashboard');
  cpSync(join(ROOT, 'examples/demo'), sb.projectDir, { recursive: true });
  const [web, db] = [await freePort(), await freePort()];
  const file = join(sb.projectDir, 'tend.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('4100', String(web)).replaceAll('6390', String(db)));
  return sb;
}

function loginUrl(sb) {
  const r = tend(sb, ['ui', '--json', '--no-open']);
  if (r.status !== 0) throw new Error(`tend ui failed: ${r.stderr}`);
  return JSON.parse(r.stdout).url;
}

const FIRST_RENDER = 'tr[data-service] td[data-field="state"]:not(:empty)';

/** Opens the dashboard in a fresh context; returns the page and the navigation-to-render time. */
async function open(browser, sb) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
  // Timed in the page: from the navigation's start (the login link, its
  // redirect included) to the first service row, by the page's own clock.
  await context.addInitScript((selector) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(selector)) {
        window.__firstRender = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }, FIRST_RENDER);
  const page = await context.newPage();
  await page.goto(loginUrl(sb));
  await page.waitForSelector(FIRST_RENDER);
  return { page, context, ms: await page.evaluate(() => window.__firstRender) };
}

/** What the browser downloads for the page: bytes and gzip bytes of the HTML, JS and CSS. */
async function pageSize(page) {
  const parts = await page.evaluate(async () => {
    const html = await (await fetch('/')).text();
    const urls = [...document.querySelectorAll('script[src], link[rel=stylesheet]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href'));
    return [html, ...(await Promise.all(urls.map(async (u) => (await fetch(u)).text())))];
  });
  const bytes = parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
  const gzip = parts.reduce((n, p) => n + gzipSync(p).length, 0);
  return { bytes, gzip, files: parts.length };
}

/** SIGKILLs a service and times until its row shows another pid (the exit, or the restart). */
async function updateMs(page, name) {
  const cell = `tr[data-service="${name}"] td[data-field="pid"]`;
  const pid = Number(await page.textContent(cell));
  const t0 = performance.now();
  process.kill(pid, 'SIGKILL');
  await page.waitForFunction(({ cell, pid }) => document.querySelector(cell)?.textContent !== String(pid), { cell, pid });
  return performance.now() - t0;
}

export async function figDashboard(ctx = {}) {
  const runs = ctx.dashboardRuns ?? (ctx.quick ? 2 : 6);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const load = [];
  const update = [];
  const without = [];
  const withUi = [];
  let size = null;
  try {
    for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
      const sb = await demoSandbox();
      const meta = startTend(sb, ['--wait']);
      try {
        // Both readings after the same settling (status queries, then 1 s):
        // any request grows a fresh daemon's RSS a little at first.
        const settle = () => settledRss(meta.pid, () => graphql(meta, STATUS_QUERY));
        without.push(await settle());
        const o = await open(browser, sb);
        load.push(o.ms);
        withUi.push(await settle());
        size ??= await pageSize(o.page);
        update.push(await updateMs(o.page, 'db'));
        for (let j = 0; j < 2; j++) load.push((await open(browser, sb)).ms);
        await o.context.close();
      } finally {
        stopTend(sb);
      }
    }
  } finally {
    await browser.close();
  }
  const l = summary(load);
  const u = summary(update);
  const delta = summary(withUi.map((w, i) => w - without[i]));
  return [
    row({ id: 'dashboard-size', label: 'dashboard page (HTML+JS+CSS)', unit: 'bytes', value: size.bytes, details: size }),
    row({ id: 'dashboard-load', label: 'dashboard load, navigation to services shown', value: l.median, min: l.min, max: l.max, n: l.n, target: { text: '< 500 ms', test: (v) => v < 500 }, targetOn: 'value' }),
    row({ id: 'dashboard-update', label: 'kill to dashboard row updated', value: u.median, min: u.min, max: u.max, n: u.n, target: { text: '< 500 ms', test: (v) => v < 500 }, targetOn: 'value' }),
    row({
      id: 'dashboard-rss', label: 'daemon RSS added by an open dashboard', unit: 'MiB', value: delta.median, min: delta.min, max: delta.max, n: delta.n,
      target: { text: '< 5 MiB', test: (v) => v < 5 }, targetOn: 'value', details: { without, with: withUi },
    }),
  ];
}

/** The README's screenshot: the demo project, flaky given up, web's log shown. */
async function screenshot(file) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const sb = await demoSandbox();
  startTend(sb, ['--wait']);
  try {
    const { page } = await open(browser, sb);
    await page.waitForSelector('tr[data-service="flaky"][data-state="failed"]', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Show the log of web', exact: true }).click();
    await page.waitForSelector('#log li');
    await page.evaluate(() => {
      for (const dd of document.querySelectorAll('#daemon [data-field="project"]')) dd.textContent = '~/src/tend/examples/demo';
      document.querySelector('#project').textContent = 'demo';
    });
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    stopTend(sb);
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, screenshot: { type: 'string' } } });
  tendCli.path = join(ROOT, 'dist/cli.js');
  try {
    if (values.screenshot) await screenshot(resolve(values.screenshot));
    else for (const r of await figDashboard({ dashboardRuns: Number(values.runs ?? 6) })) console.log(JSON.stringify(r));
  } finally {
    sweep();
    removeSandboxes(false);
  }
}
