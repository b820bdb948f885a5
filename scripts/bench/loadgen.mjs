// Loopback load generator (its own process, so it never shares an event loop
// with the server under test): `connections` keep-alive connections POST the
// same body back to back for a fixed time, bounded in count; prints one JSON
// line with req/s and latency percentiles. Only 127.0.0.1 / localhost targets.
import { Agent, request } from 'node:http';

const o = JSON.parse(process.argv[2]);
const url = new URL(o.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  console.error(`loadgen: refusing non-loopback target ${url.hostname}`);
  process.exit(2);
}
const connections = o.connections ?? 8;
const maxRequests = o.maxRequests ?? 2_000_000;
const body = Buffer.from(o.body);
const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
const latencies = new Float64Array(maxRequests);
let n = 0;
let sent = 0;
let errors = 0;
let firstError = null;
let measuring = false;
let stopped = false;

function one() {
  return new Promise((resolve) => {
    sent++;
    const t0 = process.hrtime.bigint();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: { ...o.headers, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          if (res.statusCode !== 200) {
            errors++;
            firstError ??= `HTTP ${res.statusCode}`;
          } else if (measuring && !stopped && n < maxRequests) latencies[n++] = ms;
          resolve();
        });
      },
    );
    req.on('error', (e) => {
      errors++;
      firstError ??= e.message;
      resolve();
    });
    req.end(body);
  });
}

async function worker() {
  while (!stopped && n < maxRequests) await one();
}

const workers = Array.from({ length: connections }, worker);
await new Promise((r) => setTimeout(r, o.warmupMs ?? 500));
measuring = true;
const t0 = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, o.durationMs ?? 3000));
stopped = true;
const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
await Promise.all(workers);
agent.destroy();

const v = latencies.slice(0, n).sort();
const pct = (p) => (n ? v[Math.min(n - 1, Math.floor((p / 100) * n))] : null);
let sum = 0;
for (let i = 0; i < n; i++) sum += v[i];
console.log(
  JSON.stringify({
    requests: n,
    errors,
    firstError,
    elapsedMs,
    rps: (n / elapsedMs) * 1000,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: n ? v[n - 1] : null,
    mean: n ? sum / n : null,
    connections,
  }),
);
