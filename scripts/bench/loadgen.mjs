// Loopback load generator, in its own process so it never shares an event
// loop with the server under test. `connections` keep-alive connections each
// send the same POST, one request in flight per connection (no pipelining),
// for a fixed time after a warm-up (a time, or a count of answers). It prints one JSON line: req/s, latency
// percentiles, response bytes, and its own CPU use.
//
// Raw sockets and one pre-built request, not node:http's client: on a 2-core
// machine the client's own cost per request (an http.ClientRequest, header
// objects, a parser per response) was as large as a bare server's, so a fast
// server measured the load generator. Here the client's work per request is
// one write and a scan for the end of the response. `cpu` in the output says
// how busy it was (1 = a whole core: then the figure is the client's limit).
//
// Only 127.0.0.1 / localhost targets.
import { connect } from 'node:net';

const o = JSON.parse(process.argv[2]);
const url = new URL(o.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
  console.error(`loadgen: refusing non-loopback target ${url.hostname}`);
  process.exit(2);
}
const connections = o.connections ?? 8;
const maxRequests = o.maxRequests ?? 2_000_000;
const body = Buffer.from(o.body);
const headers = { host: url.host, 'content-type': 'application/json', 'content-length': String(body.length), connection: 'keep-alive', ...o.headers };
const head = `POST ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
const requestBytes = Buffer.concat([Buffer.from(head, 'latin1'), body]);

const latencies = new Float64Array(maxRequests);
let n = 0;
let completed = 0;
let errors = 0;
let firstError = null;
let bodyBytes = null;
let measuring = false;
let stopped = false;
const fail = (why) => {
  errors++;
  firstError ??= why;
};

/** One connection: send, read one whole response (Content-Length framed), repeat. */
function connection() {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port), noDelay: true });
    let buf = Buffer.alloc(0);
    let t0 = 0n;
    let counted = false;
    const send = () => {
      if (stopped || n >= maxRequests) return socket.end();
      counted = measuring;
      t0 = process.hrtime.bigint();
      socket.write(requestBytes);
    };
    socket.on('connect', send);
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headText = buf.toString('latin1', 0, end);
        const length = /\r\ncontent-length: *(\d+)/i.exec(headText);
        if (!length) {
          fail('response without Content-Length');
          return socket.destroy();
        }
        const total = end + 4 + Number(length[1]);
        if (buf.length < total) return;
        const status = Number(headText.slice(9, 12));
        buf = buf.subarray(total);
        completed++;
        if (status !== 200) fail(`HTTP ${status}`);
        else {
          bodyBytes ??= Number(length[1]);
          // Only requests sent and answered inside the window count.
          if (counted && measuring && !stopped && n < maxRequests) latencies[n++] = Number(process.hrtime.bigint() - t0) / 1e6;
        }
        send();
      }
    });
    socket.on('error', (e) => fail(e.message));
    socket.on('close', () => {
      if (!stopped) fail('connection closed by the server');
      resolve();
    });
  });
}

const workers = Array.from({ length: connections }, connection);
// Warm-up: warmupMs, or until warmupRequests were answered (warmupMs then bounds it).
const warmEnd = Date.now() + (o.warmupMs ?? 500);
do await new Promise((r) => setTimeout(r, o.warmupRequests ? 50 : warmEnd - Date.now()));
while (o.warmupRequests && completed < o.warmupRequests && Date.now() < warmEnd);
measuring = true;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, o.durationMs ?? 3000));
const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = process.cpuUsage(cpu0);
stopped = true;
await Promise.all(workers);

const v = latencies.slice(0, n).sort();
const pct = (p) => (n ? v[Math.min(n - 1, Math.floor((p / 100) * n))] : null);
let sum = 0;
for (let i = 0; i < n; i++) sum += v[i];
console.log(
  JSON.stringify({
    requests: n,
    completed,
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
    bodyBytes,
    cpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
  }),
);
