import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { makeSandbox, type Sandbox } from '../../helpers/sandbox.js';
import { startDaemon } from '../../helpers/kit.js';
import { jsonBody, postGraphql, rawEndpoint, rawPost } from '../../helpers/raw-http.js';
import { waitFor } from '../../helpers/wait.js';

const QUERY = '{ status { pid instanceId } }';

async function running(box: Sandbox): Promise<{ endpoint: string; token: string; host: string; pid: number }> {
  await startDaemon(box);
  const meta = box.metadata()!;
  return { endpoint: meta.endpoint, token: meta.token, host: new URL(meta.endpoint).host, pid: meta.pid };
}

test('the endpoint answers a request with the bearer token and its own Host (200)', async (t) => {
  const box = makeSandbox(t);
  const d = await running(box);
  const r = await postGraphql(d.endpoint, QUERY, { authorization: `Bearer ${d.token}`, host: d.host });
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).data.status.pid, d.pid);
  const port = new URL(d.endpoint).port;
  const viaLocalhost = await postGraphql(d.endpoint, QUERY, { authorization: `Bearer ${d.token}`, host: `localhost:${port}` });
  assert.equal(viaLocalhost.status, 200, viaLocalhost.body);
});

test('the endpoint refuses a request without the token or with a wrong one (401)', async (t) => {
  const box = makeSandbox(t);
  const d = await running(box);
  const none = await postGraphql(d.endpoint, QUERY, { host: d.host });
  assert.equal(none.status, 401, none.body);
  const wrong = await postGraphql(d.endpoint, QUERY, { authorization: `Bearer ${d.token}x`, host: d.host });
  assert.equal(wrong.status, 401, wrong.body);
  const notBearer = await postGraphql(d.endpoint, QUERY, { authorization: d.token, host: d.host });
  assert.equal(notBearer.status, 401, notBearer.body);
  assert.ok(!none.body.includes('"data"'));
});

test('the endpoint refuses a request whose Host is not its own address (403), token or not', async (t) => {
  const box = makeSandbox(t);
  const d = await running(box);
  const port = new URL(d.endpoint).port;
  for (const host of [`evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, 'localhost']) {
    const r = await postGraphql(d.endpoint, QUERY, { authorization: `Bearer ${d.token}`, host });
    assert.equal(r.status, 403, `Host ${host}: ${r.body}`);
  }
});

test('the endpoint refuses a request carrying an Origin header (403), token or not', async (t) => {
  const box = makeSandbox(t);
  const d = await running(box);
  for (const origin of ['http://evil.example', `http://${d.host}`, 'null']) {
    const r = await postGraphql(d.endpoint, QUERY, { authorization: `Bearer ${d.token}`, host: d.host, origin });
    assert.equal(r.status, 403, `Origin ${origin}: ${r.body}`);
  }
});

test('the token never appears in status output or in the daemon log', async (t) => {
  const box = makeSandbox(t);
  const d = await running(box);
  const outputs = [await box.cli(['status']), await box.cli(['status', '--json']), await box.cli(['start', '--json']), await box.cli(['logs'])];
  for (const r of outputs) {
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(d.token) && !r.stderr.includes(d.token), 'the token was printed');
  }
  process.kill(d.pid, 'SIGUSR1'); // a snapshot of the status goes to the log too
  await waitFor(() => readFileSync(box.paths().logFile, 'utf8').includes('snapshot'), 10_000, 'the SIGUSR1 snapshot');
  const stop = await box.cli(['stop']);
  assert.equal(stop.code, 0);
  assert.ok(!stop.stdout.includes(d.token));
  assert.ok(!readFileSync(box.paths().logFile, 'utf8').includes(d.token), 'the token is in the log');
});

test('the endpoint answers a malformed or misshapen body with the GraphQL error that names the problem', async (t) => {
  const box = makeSandbox(t);
  await startDaemon(box);
  const ep = rawEndpoint(box.metadata()!);
  const cases: [string, number, string][] = [
    ['{"query":', 400, 'POST body sent invalid JSON.'],
    ['[]', 400, 'Batching is not supported.'],
    ['[{"query":"{ status { pid } }"}]', 400, 'Batching is not supported.'],
    ['{}', 200, 'Must provide query string.'],
    ['"x"', 400, 'POST body is expected to be object but received string'],
    ['null', 400, 'POST body is expected to be object but received null'],
    ['{"query":"{ status { pid } }","extra":1}', 400, 'Unexpected parameter "extra" in the request body.'],
  ];
  for (const [body, status, message] of cases) {
    const r = await rawPost(ep, body);
    assert.equal(r.status, status, `${body}: ${r.text}`);
    assert.equal(jsonBody(r).errors[0].message, message, body);
  }
  const ok = await rawPost(ep, { query: QUERY, variables: {} });
  assert.equal(jsonBody(ok).data.status.pid, ep.pid);
});
