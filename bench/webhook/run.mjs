#!/usr/bin/env node
// The admission webhook benchmark: `kubeladder webhook serve` (the built CLI) pinned to CPU 1,
// with a policy that enforces every pod check kubeladder has (POD_CHECKS of
// src/webhook/policy.ts) and PSS restricted, and applies the two safe mutations of the default
// policy; the load on CPU 0. Bodies: realistic pod AdmissionReviews of about 4.7 KB, 64
// variants in turn, one in 4 denied (bench/webhook/generate.mjs, seeded).
//
//   node bench/webhook/run.mjs [--duration S] [--rate N] [--connections N] [--creates N] [--no-cluster]
//
//   (a) max throughput: `taskset -c 0 wrk -t1 -c32 -d20s --latency -s bench/webhook/review.lua
//       https://127.0.0.1:PORT/validate` over HTTPS keep-alive (after a 5 s warm-up);
//   (b) a fixed 2,000 reviews/s for the same time by bench/webhook/paced.mjs on CPU 0 (wrk
//       cannot pace, Debian has no wrk2): latency from each request's scheduled start, so a
//       stall counts for every request it holds back;
//   (c) the server's peak RSS (VmHWM of /proc/PID/status) after both;
//   (d) through a real kube-apiserver (test/helpers/cluster.ts): N sequential dry-run pod
//       creates (admitted pods, a keep-alive connection) without the webhook, then with it
//       registered as a ValidatingWebhookConfiguration by URL (caBundle, kube-system excluded,
//       failurePolicy Fail, as test/cluster/webhook.slow.test.ts does); median and p99 of each.
//
// Targets (from the issue): >= 5,000 reviews/s, p99 < 10 ms at 2,000/s, peak RSS < 150 MB.
// Exits 1 when one is missed. Every process it starts is stopped at the end, also on failure or
// Ctrl-C. Build first (`npx tsc -p .`); needs wrk (`sh scripts/bench-install-wrk.sh`), taskset,
// openssl, 2 CPUs, and for (d) the control plane's binaries (`bash scripts/install-test-cluster.sh`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, checkBuild, environment, median, table } from '../lib.mjs';
import { APPS, DENIED_EVERY, pod, reviewBodies } from './generate.mjs';

const TARGET = { perS: 5000, p99Ms: 10, rssMB: 150 };
const VARIANTS = 64;
const WARMUP_S = 5;
const HERE = join(ROOT, 'bench/webhook');
const log = (s) => process.stderr.write(`${s}\n`);

let args;
try {
  ({ values: args } = (await import('node:util')).parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      rate: { type: 'string', default: '2000' },
      connections: { type: 'string', default: '32' },
      creates: { type: 'string', default: '300' },
      'no-cluster': { type: 'boolean', default: false },
    },
  }));
  for (const k of ['duration', 'rate', 'connections', 'creates']) if (!(Number.isInteger(Number(args[k])) && Number(args[k]) > 0)) throw new Error(`--${k} takes a positive whole number`);
} catch (e) {
  process.stderr.write(`${e.message}\nusage: node bench/webhook/run.mjs [--duration S] [--rate N] [--connections N] [--creates N] [--no-cluster]\n`);
  process.exit(2);
}
const durationS = Number(args.duration);
const rate = Number(args.rate);
const connections = Number(args.connections);
const creates = Number(args.creates);

// ---------------------------------------------------------------------------------------------
// Processes: everything started is in `children` (or is the cluster) and is stopped by cleanup()

const children = new Set();
let cluster;
let tmp;
let cleaning;

function cleanup() {
  cleaning ??= (async () => {
    for (const c of children) stopChild(c);
    await Promise.all([...children].map((c) => c.exitedWithin(5000)));
    await cluster?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

function stopChild(c) {
  if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

/** Spawns `argv`, tracked; `.exited` resolves to { code, signal }; `.exitedWithin(ms)` SIGKILLs after ms. */
function start(argv, opts = {}) {
  const c = spawn(argv[0], argv.slice(1), { cwd: ROOT, ...opts });
  children.add(c);
  c.exited = new Promise((resolve) => {
    c.once('exit', (code, signal) => resolve({ code, signal }));
    c.once('error', (e) => resolve({ code: -1, signal: null, error: e }));
  });
  c.exited.then(() => children.delete(c));
  c.exitedWithin = async (ms) => {
    let timer;
    const late = await Promise.race([c.exited.then(() => false), new Promise((r) => (timer = setTimeout(() => r(true), ms)))]);
    clearTimeout(timer);
    if (late) {
      c.kill('SIGKILL');
      await c.exited;
    }
  };
  return c;
}

/** Runs `argv` to its end (killed after `timeoutMs`), its stdout collected. */
async function run(argv, { timeoutMs, env } = {}) {
  const c = start(argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  const timer = setTimeout(() => {
    log(`${argv.join(' ')}: still running after ${timeoutMs} ms, killing it`);
    c.kill('SIGKILL');
  }, timeoutMs);
  const r = await c.exited;
  clearTimeout(timer);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code ?? r.signal}${r.error ? `: ${r.error.message}` : ''}`);
  return out;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping everything`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// TypeScript helpers of the tests, transpiled as bench/live/run.mjs does

/** test/helpers/*.ts or test/webhook/*.ts, types stripped, as .cache/bench/<name>.mjs (two levels under the root, as the original). */
async function loadTs(rel, name) {
  const { default: ts } = await import('typescript');
  const src = join(ROOT, rel);
  const file = join(ROOT, `.cache/bench/${name}.mjs`);
  const { outputText } = ts.transpileModule(readFileSync(src, 'utf8'), { fileName: src, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, outputText);
  renameSync(`${file}.${process.pid}`, file);
  return import(pathToFileURL(file).href);
}

// ---------------------------------------------------------------------------------------------
// Measures

const pct = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/** One HTTPS request; resolves to { status, text }. */
function request(url, { method = 'GET', body, ca, cert, key, agent = false, timeoutMs = 10_000, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, cert, key, agent, headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** wrk's --latency output: requests/s, non-2xx count, latency percentiles (ms). */
function parseWrk(text) {
  const ms = (v, unit) => Number(v) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit];
  const lat = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    return m ? ms(m[1], m[2]) : NaN;
  };
  const num = (re) => Number(re.exec(text)?.[1] ?? NaN);
  return {
    perS: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    non2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/) || 0,
    socketErrors: /Socket errors: (.*)/.exec(text)?.[1],
    latencyMs: { p50: lat(50), p75: lat(75), p90: lat(90), p99: lat(99) },
  };
}

function status(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { hwmKB: kB('VmHWM'), rssKB: kB('VmRSS') };
}

/** CPU time (user + system, ms) of a process so far. */
function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function wrk(url, seconds, reviewsFile) {
  const argv = ['taskset', '-c', '0', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', join(HERE, 'review.lua'), url];
  log(argv.join(' '));
  return parseWrk(await run(argv, { timeoutMs: (seconds + 30) * 1000, env: { KL_BENCH_REVIEWS: reviewsFile } }));
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  checkBuild();
  if (availableParallelism() < 2) throw new Error('the bench pins the server to CPU 1 and the load to CPU 0: it needs 2 CPUs');
  if (spawnSync('wrk', ['-v']).error) throw new Error('wrk is missing: sh scripts/bench-install-wrk.sh');
  const env = environment();
  tmp = mkdtempSync(join(tmpdir(), 'kl-bench-webhook-'));

  // PKI, policy, review bodies.
  const { makeCa, makeServing } = await loadTs('test/webhook/pki.ts', 'pki');
  const ca = makeCa(tmp);
  const pair = makeServing(ca, '01');
  const certFile = join(tmp, 'tls.crt');
  const keyFile = join(tmp, 'tls.key');
  writeFileSync(certFile, pair.cert);
  writeFileSync(keyFile, pair.key);
  const { POD_CHECKS } = await import(pathToFileURL(join(ROOT, 'dist/webhook/policy.js')).href);
  const policyFile = join(tmp, 'policy.yaml');
  writeFileSync(
    policyFile,
    [
      'apiVersion: kubeladder.io/v1',
      'kind: WebhookPolicy',
      'rules:',
      ...POD_CHECKS.flatMap((c) => [`  - check: ${c.id}`, '    mode: enforce']),
      '  - pss: {level: restricted, version: latest}',
      '    mode: enforce',
      'mutations: [seccompRuntimeDefault, noPrivilegeEscalation]',
      'exemptions:',
      '  namespaces: [kube-system]',
      '',
    ].join('\n'),
  );
  const bodies = reviewBodies(VARIANTS);
  const reviewsFile = join(tmp, 'reviews.jsonl');
  writeFileSync(reviewsFile, `${bodies.join('\n')}\n`);
  const meanBytes = Math.round(bodies.reduce((n, b) => n + b.length, 0) / bodies.length);

  // The server, on CPU 1; its decision log to a file.
  const port = await freePort();
  const serverLog = join(tmp, 'server.log');
  const fd = openSync(serverLog, 'w');
  const argv = ['taskset', '-c', '1', process.execPath, CLI, 'webhook', 'serve', '--policy', policyFile, '--tls-cert', certFile, '--tls-key', keyFile, '--port', String(port), '--address', '127.0.0.1'];
  log(argv.join(' '));
  const server = start(argv, { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const base = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await request(`${base}/healthz`, { ca: ca.pem, timeoutMs: 1000 }).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not come up:\n${readFileSync(serverLog, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // taskset execs node: the pid is the server's.
  const serverPid = server.pid;
  const allowed = JSON.parse((await request(`${base}/validate`, { method: 'POST', body: bodies[0], ca: ca.pem })).text).response;
  const denied = JSON.parse((await request(`${base}/validate`, { method: 'POST', body: bodies[DENIED_EVERY - 1], ca: ca.pem })).text).response;
  if (allowed.allowed !== true || denied.allowed !== false) throw new Error(`unexpected verdicts: ${JSON.stringify({ allowed, denied }).slice(0, 2000)}`);
  log(`server pid ${serverPid} on ${base}, ${POD_CHECKS.length} pod checks + PSS restricted enforced; ${VARIANTS} review variants of ${meanBytes} bytes on average`);

  const report = { ...env, target: TARGET, policy: { podChecks: POD_CHECKS.length, pss: 'restricted', mutations: 2 }, reviews: { variants: VARIANTS, meanBytes, deniedShare: 1 / DENIED_EVERY } };

  // (a) max throughput, after a warm-up.
  await wrk(`${base}/validate`, WARMUP_S, reviewsFile);
  let cpu0 = cpuMs(serverPid);
  report.max = await wrk(`${base}/validate`, durationS, reviewsFile);
  report.max.serverCpuMsPerReview = (cpuMs(serverPid) - cpu0) / report.max.requests;
  log(`max: ${report.max.perS.toFixed(0)} reviews/s, p50 ${report.max.latencyMs.p50} ms, p99 ${report.max.latencyMs.p99} ms, server ${report.max.serverCpuMsPerReview.toFixed(3)} ms CPU per review`);

  // (b) paced.
  const pacedArgv = ['taskset', '-c', '0', process.execPath, join(HERE, 'paced.mjs'), '--url', `${base}/validate`, '--ca', ca.certFile, '--reviews', reviewsFile, '--rate', String(rate), '--duration', String(durationS), '--connections', String(connections)];
  log(pacedArgv.join(' '));
  cpu0 = cpuMs(serverPid);
  const wall0 = performance.now();
  report.paced = JSON.parse(await run(pacedArgv, { timeoutMs: (durationS + 60) * 1000 }));
  // Over the client's whole run (its connection warm-up and drain too): a slight underestimate.
  report.paced.serverCpuShare = (cpuMs(serverPid) - cpu0) / (performance.now() - wall0);
  log(`paced ${rate}/s: p50 ${report.paced.latencyMs.p50.toFixed(2)} ms, p99 ${report.paced.latencyMs.p99.toFixed(2)} ms, ${report.paced.achievedPerS}/s answered, ${report.paced.errors} errors`);

  // (c) peak RSS.
  report.rss = status(serverPid);

  // (d) through the API server.
  if (!args['no-cluster']) report.cluster = await throughApiServer(base, ca.pem);

  report.serverLogLines = readFileSync(serverLog, 'utf8').split('\n').length - 1;
  printReport(report);
  const out = join(ROOT, 'bench/results/webhook.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${out}`);
  return report.pass;
}

async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** N sequential dry-run creates of admitted pods, without then with the webhook registered. */
async function throughApiServer(base, caPem) {
  const { startCluster, credentialsOf, eventually } = await loadTs('test/helpers/cluster.ts', 'cluster');
  const t0 = Date.now();
  cluster = await startCluster({ readyTimeoutMs: 120_000 });
  log(`cluster ${cluster.version} at ${cluster.server} up in ${Date.now() - t0} ms`);
  const creds = credentialsOf(cluster.adminKubeconfig);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  const api = (method, path, body) => request(new URL(path, creds.server), { method, body: body && JSON.stringify(body), ca: creds.ca, cert: creds.cert, key: creds.key, agent, timeoutMs: 30_000 });
  const ns = 'bench';
  const must = async (what, r, ...ok) => {
    if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
    return r;
  };
  await must('create namespace', await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), 201);
  for (const app of APPS) await must(`create ServiceAccount ${app}`, await api('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app } }), 201);
  const admitted = Array.from({ length: VARIANTS }, (_, i) => i).filter((i) => i % DENIED_EVERY !== DENIED_EVERY - 1).map((i) => pod(i, ns));
  // The API server fills in the deprecated spec.serviceAccount from serviceAccountName before
  // admission, so pod/deprecated-service-account-field (enforced) denies every pod: a denial by
  // this webhook still went through the whole review, and is counted, not an error.
  const denials = new Map();
  const createOnce = async (k) => {
    const t = process.hrtime.bigint();
    const r = await api('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, admitted[k % admitted.length]);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const ours = r.status === 403 && r.text.includes('admission webhook \\"validate.kubeladder.io\\" denied');
    if (ours) {
      const checks = [...r.text.matchAll(/: ((?:pod|image|api|rbac|netpol|workload|pss)\/[a-z-]+):/g)].map((m) => m[1]).join(', ');
      denials.set(checks, (denials.get(checks) ?? 0) + 1);
    } else if (r.status !== 201) throw new Error(`dry-run create ${k}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
    return ms;
  };
  await eventually('the first dry-run pod create', async () => ((await api('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, admitted[0])).status === 201 ? true : undefined), 60_000);
  const series = async (what) => {
    for (let k = 0; k < 30; k++) await createOnce(k); // warm-up
    denials.clear();
    const ms = [];
    for (let k = 0; k < creates; k++) ms.push(await createOnce(k));
    const r = { n: creates, medianMs: median(ms), p99Ms: pct(ms, 99), maxMs: Math.max(...ms), deniedByWebhook: Object.fromEntries(denials) };
    denials.clear();
    log(`${what}: median ${r.medianMs.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms over ${creates} creates; denied by the webhook: ${JSON.stringify(r.deniedByWebhook)}`);
    return r;
  };
  const out = { version: cluster.version };
  out.without = await series('pod creates without the webhook');
  const caBundle = Buffer.from(caPem).toString('base64');
  await must(
    'register the webhook',
    await api('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'kubeladder-validate' },
      webhooks: [
        {
          name: 'validate.kubeladder.io',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 5,
          clientConfig: { url: `${base}/validate`, caBundle },
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers'] }],
        },
      ],
    }),
    201,
  );
  // In force once a pod the policy denies is refused.
  const weak = pod(DENIED_EVERY - 1, ns);
  await eventually('the webhook to deny a weak pod', async () => ((await api('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, weak)).status === 403 ? true : undefined), 60_000);
  out.with = await series('pod creates with the webhook');
  agent.destroy();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

function printReport(rep) {
  const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '?');
  const verdict = (ok, text) => `${ok ? 'PASS' : 'MISS'} ${text}`;
  console.log(
    `kubeladder webhook serve (${rep.policy.podChecks} pod checks + PSS restricted enforced, 2 mutations), server on CPU 1, load on CPU 0, ${durationS} s per run, ${connections} keep-alive connections; ` +
      `${rep.reviews.variants} pod reviews of ${rep.reviews.meanBytes} B on average, 1 in ${DENIED_EVERY} denied; node ${rep.node}, ${rep.cpus} CPUs, load ${rep.load}, commit ${rep.commit}${rep.dirty ? ' + local changes' : ''}`,
  );
  const rssMB = (rep.rss.hwmKB * 1024) / 1e6;
  const rows = [
    { what: 'max throughput (wrk), reviews/s', value: f(rep.max.perS, 0), target: verdict(rep.max.perS >= TARGET.perS, `>= ${TARGET.perS}`) },
    { what: '  wrk latency p50 / p99, ms', value: `${f(rep.max.latencyMs.p50)} / ${f(rep.max.latencyMs.p99)}`, target: '' },
    { what: '  server CPU per review, ms', value: f(rep.max.serverCpuMsPerReview, 3), target: '' },
    { what: `paced ${rate}/s: answered per s`, value: String(rep.paced.achievedPerS), target: '' },
    { what: `paced ${rate}/s: latency p50, ms`, value: f(rep.paced.latencyMs.p50), target: '' },
    { what: `paced ${rate}/s: latency p99, ms`, value: f(rep.paced.latencyMs.p99), target: verdict(rep.paced.latencyMs.p99 < TARGET.p99Ms, `< ${TARGET.p99Ms} ms`) },
    { what: `paced ${rate}/s: p99.9 / max, ms`, value: `${f(rep.paced.latencyMs.p999)} / ${f(rep.paced.latencyMs.max)}`, target: '' },
    { what: `paced ${rate}/s: server CPU busy (of 1 CPU)`, value: `${f(rep.paced.serverCpuShare * 100, 0)}%`, target: '' },
    { what: 'server peak RSS (VmHWM), MB', value: f(rssMB, 0), target: verdict(rssMB < TARGET.rssMB, `< ${TARGET.rssMB} MB`) },
  ];
  const errors = rep.max.non2xx + rep.paced.errors + rep.paced.non200 + rep.paced.unanswered;
  rows.push({ what: 'errors, non-200, unanswered', value: String(errors), target: verdict(errors === 0, '0') });
  if (rep.cluster) {
    const c = rep.cluster;
    rows.push(
      { what: `API server pod create (dry-run), without webhook: median / p99, ms`, value: `${f(c.without.medianMs)} / ${f(c.without.p99Ms)}`, target: '' },
      { what: `API server pod create (dry-run), with webhook: median / p99, ms`, value: `${f(c.with.medianMs)} / ${f(c.with.p99Ms)}`, target: '' },
      { what: `  difference: median / p99, ms`, value: `${f(c.with.medianMs - c.without.medianMs)} / ${f(c.with.p99Ms - c.without.p99Ms)}`, target: '' },
    );
    const denied = Object.entries(c.with.deniedByWebhook);
    if (denied.length) console.log(`note: through the API server the webhook denied ${denied.map(([k, n]) => `${n} of ${c.with.n} creates (${k})`).join(', ')}: the API server sets the deprecated spec.serviceAccount before admission`);
  }
  console.log(table(rows, ['what', 'value', 'target']));
  rep.pass = rows.every((r) => !r.target.startsWith('MISS'));
}

let pass = false;
try {
  pass = await main();
} catch (e) {
  log(`bench/webhook: ${e.stack ?? e}`);
  process.exitCode = 2;
} finally {
  await cleanup();
}
if (process.exitCode === undefined) process.exitCode = pass ? 0 : 1;
