#!/usr/bin/env node
// The paced client of bench/webhook/run.mjs (wrk cannot pace, Debian has no wrk2): POSTs the
// AdmissionReviews of a file (one compact JSON body per line, in turn) at a fixed rate over
// HTTPS keep-alive connections, and prints one JSON line of latency percentiles.
//
//   node bench/webhook/paced.mjs --url https://127.0.0.1:PORT/validate --ca CA.pem --reviews FILE
//        [--rate 2000] [--duration 20] [--connections 32]
//
// Request k is due at start + k/rate, whether or not earlier ones have been answered; its
// latency is measured from that due time, not from when it went out, so a stall of the server
// counts for every request it held back (no coordinated omission). A request that finds every
// connection busy waits in the agent's queue, and that wait counts too. Run it pinned to a CPU
// of its own (run.mjs: `taskset -c 0`).
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string' },
    ca: { type: 'string' },
    reviews: { type: 'string' },
    rate: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
  },
});
if (!a.url || !a.ca || !a.reviews) {
  process.stderr.write('usage: node bench/webhook/paced.mjs --url URL --ca FILE --reviews FILE [--rate N] [--duration S] [--connections N]\n');
  process.exit(2);
}
const rate = Number(a.rate);
const durationS = Number(a.duration);
const connections = Number(a.connections);
const url = new URL(a.url);
const bodies = readFileSync(a.reviews, 'utf8').split('\n').filter(Boolean).map((l) => Buffer.from(l));
const total = Math.round(rate * durationS);
/** How long to wait for the last answers after the last request is due. */
const DRAIN_MS = 10_000;

const agent = new https.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections, ca: readFileSync(a.ca), scheduling: 'fifo' });
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** One POST; resolves to the HTTP status (0 on an error). */
function post(body) {
  return new Promise((resolve) => {
    const req = https.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': body.length } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.setTimeout(DRAIN_MS, () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

// Open the connections first (TLS handshakes are no part of the measure), `connections` requests at once.
await Promise.all(Array.from({ length: connections }, (_, i) => post(bodies[i % bodies.length])));

const latency = new Float64Array(total);
const service = new Float64Array(total);
let done = 0;
let errors = 0;
let non200 = 0;
let maxLagMs = 0;
const start = now() + 50;
const due = (k) => start + (k * 1000) / rate;

await new Promise((resolveAll) => {
  let next = 0;
  let drainTimer;
  const finish = () => {
    clearTimeout(drainTimer);
    resolveAll();
  };
  const fire = (k) => {
    const sent = now();
    maxLagMs = Math.max(maxLagMs, sent - due(k));
    post(bodies[k % bodies.length]).then((status) => {
      const end = now();
      latency[k] = end - due(k);
      service[k] = end - sent;
      if (status === 0) errors++;
      else if (status !== 200) non200++;
      if (++done === total) finish();
    });
  };
  const tick = () => {
    const t = now();
    while (next < total && due(next) <= t) fire(next++);
    if (next < total) setTimeout(tick, Math.max(0, due(next) - now()));
    else drainTimer = setTimeout(finish, DRAIN_MS);
  };
  setTimeout(tick, Math.max(0, start - now()));
});
agent.destroy();

const answered = [];
const served = [];
for (let k = 0; k < total; k++) {
  if (latency[k] > 0) {
    answered.push(latency[k]);
    served.push(service[k]);
  }
}
const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const elapsedS = (now() - start) / 1000;
process.stdout.write(
  `${JSON.stringify({
    rate,
    durationS,
    connections,
    sent: total,
    answered: answered.length,
    unanswered: total - done,
    errors,
    non200,
    achievedPerS: Math.round(answered.length / elapsedS),
    maxStartLagMs: maxLagMs,
    latencyMs: { p50: pct(answered, 50), p90: pct(answered, 90), p99: pct(answered, 99), p999: pct(answered, 99.9), max: pct(answered, 100) },
    serviceMs: { p50: pct(served, 50), p99: pct(served, 99) },
  })}\n`,
);
