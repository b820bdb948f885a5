import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { isGone, waitGone, type Sandbox } from './sandbox.js';
import { readProcStat } from '../../src/kit/process/process-info.js';

/** daemon.json of the sandbox's instance, parsed; null when missing. */
export function readMetadataFile(box: Sandbox): Record<string, any> | null {
  try {
    return JSON.parse(readFileSync(box.paths().metadataFile, 'utf8'));
  } catch {
    return null;
  }
}

/** Runs `start --json`, asserts it succeeded and returns what it printed. */
export async function startDaemon(box: Sandbox, args: string[] = [], env?: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  const r = await box.cli(['start', '--json', ...args], { env });
  assert.equal(r.code, 0, `start failed:\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout);
  assert.equal(out.state, 'running');
  return out;
}

/**
 * Live, non-zombie processes running this sandbox's daemon (found by their
 * command line: the daemon's process.title or its `__daemon --dir` argv).
 */
export function daemonPids(box: Sandbox): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isSafeInteger(pid)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    const ours = cmdline.includes(`tend daemon ${box.projectDir}`) || (cmdline.includes('__daemon') && cmdline.includes(`--dir ${box.projectDir}`));
    if (ours && !isGone(pid)) pids.push(pid);
  }
  return pids;
}

/** Asserts no daemon process, metadata, lock dir or owner record is left (processes get a grace period to exit). */
export async function assertNothingLeft(box: Sandbox, pids: number[] = []): Promise<void> {
  for (const pid of pids) assert.ok(await waitGone(pid, 10_000), `pid ${pid} is still alive`);
  await waitFor(() => daemonPids(box).length === 0, 10_000, 'the daemon processes to exit');
  assert.deepEqual(daemonPids(box), [], 'a daemon process is left');
  const p = box.paths();
  assert.equal(existsSync(p.metadataFile), false, 'daemon.json is left');
  assert.equal(existsSync(p.lockDir), false, 'the lock dir is left');
  assert.equal(existsSync(p.ownerFile), false, 'the owner record is left');
}

/** Polls `check` until it is true; fails with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** A TCP port held open on 127.0.0.1 by this test until teardown (to provoke EADDRINUSE). */
export async function occupiedPort(t: TestContext): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on right now (bound on port 0, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One HTTP response, read whole. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** POSTs a GraphQL query to `url` with exactly the given headers (node:http, no fetch). */
export function postGraphql(url: string, query: string, headers: Record<string, string>): Promise<HttpAnswer> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      timeout: 10_000,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Collects a child's stdout as text; `text()` returns it so far. */
export function collectStdout(child: ChildProcess): { text: () => string } {
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (c: string) => (out += c));
  return { text: () => out };
}

/** Resolves with a child's exit; fails after `timeoutMs`. */
export function exitOf(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Field 22 of /proc/PID/stat: what the daemon records as processStartTime. */
export function startTimeOf(pid: number): string {
  const stat = readProcStat(pid);
  assert.ok(stat && stat !== 'no-proc', `no /proc entry for pid ${pid}`);
  return stat.startTime;
}
