#!/usr/bin/env node
// The live-scan benchmark: starts the real control plane of the live tests
// (test/helpers/cluster.ts: etcd, kube-apiserver, kube-controller-manager on 127.0.0.1), loads
// it with 200 namespaces, 20,000 pods, 2,000 Services, 5,000 RBAC objects and 1,000
// NetworkPolicies, then times `kubeladder scan --cluster --format json` against it, with the
// API server on the same CPUs, and checks it against the targets.
//
//   node bench/live/run.mjs [--runs N] [--scale F] [--also FILE]... [--no-profile]
//
// Steps: start the cluster; create the objects (32 POSTs in flight over keep-alive connections,
// seeded, so every run loads the same) and time that; wait until the control plane is quiet;
//   - a baseline: the scan's lists (same types, page size, concurrency) as plain requests that
//     only read the bytes, over a new TLS connection per request as kubeladder makes them, over
//     keep-alive ones, and with other page sizes, and JSON.parse of the bytes apart: what the
//     API server needs to serve what kubeladder reads, and what the client adds;
//   - the scans: one warm-up (its results are counted), then N runs (default 5): median, min
//     and max wall, median CPU time and peak RSS of the kubeladder process (bench/lib.mjs), the
//     API server's and etcd's CPU time meanwhile (/proc/<pid>/stat), and the CPU time other
//     processes of the machine took (/proc/stat: when it is not near 0, wall times are noisy);
//   - three scans per build under `node --cpu-prof`, their time charged to phases (waiting for
//     the API server, TLS/HTTP, receiving and JSON.parse, module load, checks, ...), medians;
//     the last profile of dist/ is kept as bench/results/live.cpuprofile.
// --also FILE times another build's bin/kubeladder.js against the same loaded cluster, in turn
// with this one (a scratch copy with a change to src/sources/cluster, say; it must find the
// same results). --scale 0.1 loads a tenth of everything (a quick try; the targets are for 1).
// Figures go to bench/results/live.json (live-scale-F.json with --scale); exits 1 when a target is missed. The cluster is
// stopped at the end, also on failure or Ctrl-C. Build first (`npx tsc -p .`), and run
// `bash scripts/install-test-cluster.sh` once for the control plane's binaries.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, against, checkBuild, environment, measure, median, mib, options, phaseClassifier, table } from '../lib.mjs';

/** From the issue: wall seconds (median of the runs) and peak RSS of the kubeladder process (worst run). */
const TARGET = { wallS: 20, rssMiB: 1024 };
/** What the bench creates at --scale 1. */
const SIZES = {
  namespaces: 200,
  pods: 20_000,
  services: 2_000,
  // 5,000 RBAC objects: a few ClusterRoles and bindings, the rest Roles and RoleBindings.
  clusterRoles: 50,
  clusterRoleBindings: 50,
  roles: 2_450,
  roleBindings: 2_450,
  // A default-deny policy in 9 namespaces of 10, allow rules for the rest.
  networkPolicies: 1_000,
  // Not in the issue's list: what the pods run as (5 per namespace) besides `default`.
  serviceAccounts: 1_000,
};
/** In-flight create requests, over keep-alive connections. */
const LOAD_CONCURRENCY = 32;
/** What kubeladder uses (src/sources/cluster/read.ts): the baseline lists the same way. */
const PAGE_SIZE = 500;
const LIST_CONCURRENCY = 4;
/** Scans under --cpu-prof per build. */
const PROFILE_RUNS = 3;

const args = options(
  {
    runs: { type: 'string', default: '5' },
    scale: { type: 'string', default: '1' },
    also: { type: 'string', multiple: true, default: [] },
    'no-profile': { type: 'boolean', default: false },
  },
  'node bench/live/run.mjs [--runs N] [--scale F] [--also FILE]... [--no-profile]',
);
const runs = Number(args.runs);
const scale = Number(args.scale);
if (!(scale > 0 && scale <= 1)) {
  process.stderr.write('--scale takes a number in (0, 1]\n');
  process.exit(2);
}
const sizes = Object.fromEntries(Object.entries(SIZES).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))]));
const clis = [CLI, ...args.also.map((f) => resolve(f))];
for (const f of clis) if (!existsSync(f)) throw new Error(`${f}: no such file`);

const log = (s) => process.stderr.write(`${s}\n`);
let cluster;

/** Runs at the end of the file, once every constant below is defined. */
async function main() {
  checkBuild();
  const env = environment();
  const { startCluster } = await loadClusterHelper();
  const stopOnSignal = (sig) => {
    log(`${sig}: stopping the cluster`);
    (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const report = { ...env, scale, sizes, target: TARGET };
  try {
    const t0 = Date.now();
    cluster = await startCluster({ readyTimeoutMs: 120_000 });
    report.cluster = { version: cluster.version, startMs: Date.now() - t0 };
    log(`cluster ${cluster.version} at ${cluster.server} up in ${report.cluster.startMs} ms`);
    const api = apiClient(cluster.adminKubeconfig);

    report.load = await load(api);
    report.settleMs = await settle();
    report.controlPlaneRssMiB = { apiServer: rssMiB(cluster.pids.apiServer), etcd: rssMiB(cluster.pids.etcd), controllerManager: rssMiB(cluster.pids.controllerManager) };

    report.baseline = await baseline(api);
    api.agent.destroy();

    report.scans = scanRuns(clis);
    if (!args['no-profile']) report.profiles = clis.map((cli) => profileScan(cli));
  } finally {
    await cluster?.stop();
  }
  report.benchMs = Math.round(performance.now());
  printReport(report);
  const out = join(ROOT, `bench/results/${resultName()}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${out} (the bench took ${(report.benchMs / 1000).toFixed(0)} s)`);
  process.exitCode = report.scans[0].pass ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// The cluster helper

/**
 * test/helpers/cluster.ts, made runnable without a TypeScript loader: transpiled (types
 * stripped, nothing checked) by the `typescript` package to .cache/bench/cluster.mjs. That is
 * two levels under the root as the original is, so its own ROOT (tools/test-cluster/go.mod)
 * and its imports (yaml) resolve the same.
 */
async function loadClusterHelper() {
  const { default: ts } = await import('typescript');
  const src = join(ROOT, 'test/helpers/cluster.ts');
  const file = join(ROOT, '.cache/bench/cluster.mjs');
  const { outputText } = ts.transpileModule(readFileSync(src, 'utf8'), {
    fileName: src,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  mkdirSync(dirname(file), { recursive: true });
  // Written aside and renamed, so that a bench starting at the same moment never imports half a file.
  writeFileSync(`${file}.${process.pid}`, outputText);
  renameSync(`${file}.${process.pid}`, file);
  return import(pathToFileURL(file).href);
}

// ---------------------------------------------------------------------------------------------
// Requests: the admin's client cert, one keep-alive agent

function apiClient(kubeconfig) {
  const text = readFileSync(kubeconfig, 'utf8');
  const field = (name) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(text)[1], 'base64');
  const server = new URL(/server: (\S+)/.exec(text)[1]);
  if (server.hostname !== '127.0.0.1') throw new Error(`${server}: the bench only talks to 127.0.0.1`);
  const tls = { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
  const agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: LOAD_CONCURRENCY });
  /** One request, through `agentFor` (default: the keep-alive agent of the load); resolves to { status, bytes, text }. */
  const request = (method, path, body, agentFor = agent) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        new URL(path, server),
        {
          method,
          ...tls,
          agent: agentFor,
          timeout: 60_000,
          headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            resolve({ status: res.statusCode, bytes: buf.length, text: buf.toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  return { agent, tls, request };
}

async function pool(items, size, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

// ---------------------------------------------------------------------------------------------
// Load

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const nsName = (n) => `team-${n}`;
/** Namespaces n % 3 == 0 only warn about the baseline Pod Security level (so privileged pods are admitted there); the rest enforce it. */
const enforcing = (n) => n % 3 !== 0;

/**
 * Every object to create, a batch per kind, in the order they must go in (namespaces before
 * what is in them, ServiceAccounts before the pods that run as them). Seeded: every run creates the same.
 * Objects of a kind go round the namespaces: object i of it is in namespace i % namespaces.
 */
function objects() {
  const N = sizes.namespaces;
  const r = rng(42);
  const at = (i) => ({ ns: nsName(i % N), local: Math.floor(i / N), n: i % N });
  const times = (count, make) => Array.from({ length: count }, (_, i) => make(i));
  const saPerNs = Math.max(1, Math.round(sizes.serviceAccounts / N));
  const svcPerNs = Math.max(1, Math.round(sizes.services / N));
  const core = (ns, resource) => `/api/v1/namespaces/${ns}/${resource}`;
  const rbac = (resource, ns) => `/apis/rbac.authorization.k8s.io/v1/${ns ? `namespaces/${ns}/` : ''}${resource}`;
  const post = (kind, path, body) => ({ kind, path, body });

  const namespaces = times(N, (n) =>
    post('Namespace', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: nsName(n),
        labels: { team: `t${n % 20}`, ...(enforcing(n) ? { 'pod-security.kubernetes.io/enforce': 'baseline' } : { 'pod-security.kubernetes.io/warn': 'baseline' }) },
      },
    }),
  );

  const serviceAccounts = times(sizes.serviceAccounts, (i) => {
    const { ns, local } = at(i);
    return post('ServiceAccount', core(ns, 'serviceaccounts'), {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: `sa-${local}`, namespace: ns },
      ...(i % 4 === 0 ? {} : { automountServiceAccountToken: false }),
    });
  });

  const clusterRoles = times(sizes.clusterRoles, (i) =>
    post('ClusterRole', rbac('clusterroles'), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `bench:role-${i}`, labels: { bench: 'live' } },
      rules:
        i % 10 === 0
          ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
          : [
              { apiGroups: [''], resources: ['pods', 'services', 'configmaps'], verbs: ['get', 'list', 'watch'] },
              { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', ...(i % 3 === 0 ? ['update', 'patch'] : [])] },
              ...(i % 7 === 0 ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] : []),
            ],
    }),
  );
  const clusterRoleBindings = times(sizes.clusterRoleBindings, (i) => {
    const { ns, local } = at(i);
    return post('ClusterRoleBinding', rbac('clusterrolebindings'), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `bench:binding-${i}`, labels: { bench: 'live' } },
      subjects: i % 5 === 0 ? [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `team-${i}-admins` }] : [{ kind: 'ServiceAccount', name: `sa-${local % saPerNs}`, namespace: ns }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `bench:role-${i % sizes.clusterRoles}` },
    });
  });
  const roles = times(sizes.roles, (i) => {
    const { ns, local } = at(i);
    return post('Role', rbac('roles', ns), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: `role-${local}`, namespace: ns },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
        ...(local % 4 === 0 ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [`app-${local}-tls`] }] : []),
        ...(local % 6 === 0 ? [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }] : []),
      ],
    });
  });
  const roleBindings = times(sizes.roleBindings, (i) => {
    const { ns, local } = at(i);
    return post('RoleBinding', rbac('rolebindings', ns), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `binding-${local}`, namespace: ns },
      subjects: [{ kind: 'ServiceAccount', name: `sa-${local % saPerNs}`, namespace: ns }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${local % Math.max(1, Math.floor(sizes.roles / N))}` },
    });
  });

  // Default deny in 9 namespaces of 10, then allow rules round the namespaces.
  const denying = times(N, (n) => n).filter((n) => n % 10 !== 0);
  const networkPolicies = times(sizes.networkPolicies, (i) => {
    if (i < denying.length) {
      const ns = nsName(denying[i]);
      return post('NetworkPolicy', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
    const { ns, local } = at(i - denying.length);
    return post('NetworkPolicy', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `allow-${local}`, namespace: ns },
      spec: {
        podSelector: { matchLabels: { app: `svc-${local % svcPerNs}` } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${local % 20}` } } }, { podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      },
    });
  });

  const services = times(sizes.services, (i) => {
    const { ns, local } = at(i);
    return post('Service', core(ns, 'services'), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc-${local}`, namespace: ns, labels: { app: `svc-${local}` } },
      spec: { selector: { app: `svc-${local}` }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
  });

  // As bench/scan/generate.mjs's Deployments: ~30% keep their token, ~10% run :latest; some
  // of those in the namespaces that do not enforce the baseline level run privileged.
  const pods = times(sizes.pods, (i) => {
    const { ns, local, n } = at(i);
    const insecure = r() < 0.3;
    const tag = r() < 0.1 ? 'latest' : `1.${i % 40}.${i % 7}`;
    const privileged = insecure && !enforcing(n) && r() < 0.5;
    const sa = r() < 0.5 ? { serviceAccountName: `sa-${local % saPerNs}` } : {};
    const automount = insecure ? (i % 2 ? { automountServiceAccountToken: true } : {}) : { automountServiceAccountToken: false };
    const app = `svc-${local % svcPerNs}`;
    return post('Pod', core(ns, 'pods'), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `app-${local}`, namespace: ns, labels: { app, role: i % 4 ? 'backend' : 'frontend' } },
      spec: {
        ...sa,
        ...automount,
        securityContext: { runAsNonRoot: true },
        containers: [
          {
            name: 'main',
            image: `ghcr.io/acme/app-${i % 500}:${tag}`,
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'LOG_LEVEL', value: i % 4 ? 'info' : 'debug' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
            securityContext: { ...(privileged ? { privileged: true } : {}), allowPrivilegeEscalation: insecure, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    });
  });

  // In this order, one kind after the other (each timed): the namespaces first, the pods' ServiceAccounts before the pods.
  return [namespaces, serviceAccounts, clusterRoles, clusterRoleBindings, roles, roleBindings, networkPolicies, services, pods];
}

/** Creates every object, a kind at a time, `LOAD_CONCURRENCY` POSTs in flight; times each kind. */
async function load(api) {
  const [namespaces, ...batches] = objects();
  const kinds = [];
  const create = async (batch) => {
    const cpu0 = controlPlaneCpuMs();
    const self0 = process.cpuUsage();
    const t0 = Date.now();
    const failures = [];
    await pool(batch, LOAD_CONCURRENCY, async (o) => {
      if (failures.length) return; // stop early: one failure is enough to say what is wrong
      const res = await api.request('POST', o.path, o.body);
      if (res.status !== 201) failures.push(`${o.kind} ${o.body.metadata.namespace ?? ''}/${o.body.metadata.name}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    });
    if (failures.length) throw new Error(`creating objects failed:\n${failures.slice(0, 5).join('\n')}`);
    const ms = Date.now() - t0;
    const self = process.cpuUsage(self0);
    const k = { kind: batch[0].kind, count: batch.length, ms, perS: Math.round(batch.length / (ms / 1000)), controlPlaneCpuMs: diffCpu(cpu0, controlPlaneCpuMs()), benchCpuMs: Math.round((self.user + self.system) / 1000) };
    kinds.push(k);
    log(`created ${k.count} ${k.kind} in ${(ms / 1000).toFixed(1)} s (${k.perS}/s; API server ${(k.controlPlaneCpuMs.apiServer / 1000).toFixed(1)} s CPU, controller manager ${(k.controlPlaneCpuMs.controllerManager / 1000).toFixed(1)} s)`);
  };
  const cpu0 = controlPlaneCpuMs();
  const t0 = Date.now();
  await create(namespaces);
  // Pods are admitted once their namespace's `default` ServiceAccount is there (the controller manager makes it).
  const tWait = Date.now();
  for (;;) {
    const r = await api.request('GET', '/api/v1/serviceaccounts?fieldSelector=metadata.name%3Ddefault');
    const have = JSON.parse(r.text).items.filter((sa) => sa.metadata.namespace.startsWith('team-')).length;
    if (have >= namespaces.length) break;
    if (Date.now() - tWait > 120_000) throw new Error(`only ${have} of ${namespaces.length} default ServiceAccounts after 120 s`);
    await new Promise((res) => setTimeout(res, 200));
  }
  const waitMs = Date.now() - tWait;
  for (const batch of batches) await create(batch);
  const ms = Date.now() - t0;
  const total = kinds.reduce((n, k) => n + k.count, 0);
  return {
    objects: total,
    ms,
    perS: Math.round(total / (ms / 1000)),
    waitForDefaultServiceAccountsMs: waitMs,
    kinds,
    controlPlaneCpuMs: diffCpu(cpu0, controlPlaneCpuMs()),
    benchCpuMs: kinds.reduce((n, k) => n + k.benchCpuMs, 0),
    concurrency: LOAD_CONCURRENCY,
  };
}

// ---------------------------------------------------------------------------------------------
// Control-plane CPU and memory, from /proc

const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

/** utime + stime of a process in ms (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

function controlPlaneCpuMs() {
  const p = cluster.pids;
  return { apiServer: cpuMsOf(p.apiServer), etcd: cpuMsOf(p.etcd), controllerManager: cpuMsOf(p.controllerManager) };
}

function diffCpu(a, b) {
  return Object.fromEntries(Object.keys(a).map((k) => [k, Math.round(b[k] - a[k])]));
}

/** CPU time (ms) every process of the machine used so far: the busy fields of /proc/stat's `cpu` line. */
function machineBusyMs() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : undefined;
}

/** Waits (at most 120 s) until the control plane is quiet: under 5% of a CPU over 2 s, e.g. the EndpointSlices for the Services made. */
async function settle() {
  const t0 = Date.now();
  let quietFor = 0;
  while (Date.now() - t0 < 120_000) {
    const a = controlPlaneCpuMs();
    await new Promise((r) => setTimeout(r, 1000));
    const used = Object.values(diffCpu(a, controlPlaneCpuMs())).reduce((x, y) => x + y, 0);
    quietFor = used < 50 ? quietFor + 1 : 0;
    if (quietFor >= 2) break;
  }
  const ms = Date.now() - t0;
  log(`control plane quiet after ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Baseline: the lists alone

async function baseline(api) {
  const { CHECKS } = await import(pathToFileURL(join(ROOT, 'dist/checks/index.js')).href);
  const { neededKinds } = await import(pathToFileURL(join(ROOT, 'dist/cli/cluster.js')).href);
  const { resourceType } = await import(pathToFileURL(join(ROOT, 'dist/engines/kinds.js')).href);
  const pathOf = (t) => `${t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`}/${t.resource}`;
  const scanned = neededKinds(CHECKS).map(resourceType).filter(Boolean);
  // What the bench creates and the scan does not read (nothing left out, when the checks need it all).
  const created = ['Service', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'NetworkPolicy', 'ServiceAccount', 'Pod', 'Namespace'];
  const extra = created.map(resourceType).filter((t) => !scanned.includes(t));

  /** Lists `types` in pages of `limit` (0: unpaged), `concurrency` types at a time; wall ms, requests, bytes, the API server's CPU. */
  const listAll = async (types, { limit = PAGE_SIZE, concurrency = LIST_CONCURRENCY, fresh = false, keep = false } = {}) => {
    // Fresh: one agent without keep-alive, as client-node makes for kubeladder (a new connection per request, TLS sessions resumed).
    const agent = new https.Agent({ ...api.tls, keepAlive: !fresh });
    const cpu0 = controlPlaneCpuMs();
    const t0 = process.hrtime.bigint();
    let requests = 0;
    let bytes = 0;
    const bodies = [];
    const perType = {};
    await pool(types, concurrency, async (t) => {
      const ts = process.hrtime.bigint();
      let cont = '';
      do {
        const query = [limit ? `limit=${limit}` : '', cont ? `continue=${encodeURIComponent(cont)}` : ''].filter(Boolean).join('&');
        const res = await api.request('GET', `${pathOf(t)}${query ? `?${query}` : ''}`, undefined, agent);
        if (res.status !== 200) throw new Error(`GET ${pathOf(t)}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        requests++;
        bytes += res.bytes;
        // A plain reader: the continue token from the list's metadata, which comes first, without parsing the page.
        cont = /"continue":"([^"]*)"/.exec(res.text.slice(0, 2000))?.[1] ?? '';
        if (keep) bodies.push(res.text);
      } while (cont);
      perType[t.kind] = Number(process.hrtime.bigint() - ts) / 1e6;
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    agent.destroy();
    return { ms, requests, bytes, perType, serverCpuMs: diffCpu(cpu0, controlPlaneCpuMs()), bodies };
  };

  const variants = [
    { name: `as kubeladder: limit=${PAGE_SIZE}, ${LIST_CONCURRENCY} types at a time, a new TLS connection per request`, types: scanned, opts: { fresh: true } },
    { name: 'the same over keep-alive connections', types: scanned, opts: {} },
    { name: 'keep-alive, limit=2000', types: scanned, opts: { limit: 2000 } },
    { name: 'keep-alive, limit=5000', types: scanned, opts: { limit: 5000 } },
    { name: 'keep-alive, unpaged', types: scanned, opts: { limit: 0 } },
    { name: 'keep-alive, one type at a time', types: scanned, opts: { concurrency: 1 } },
  ];
  if (extra.length) variants.push({ name: `keep-alive, + ${extra.map((t) => t.kind).join(', ')} (not read today)`, types: [...scanned, ...extra], opts: {} });
  const out = { kinds: scanned.map((t) => t.kind), runs, variants: [] };
  // One warm-up each, then the runs round-robin, so a busy moment of the machine does not land on one variant.
  for (const v of variants) {
    await listAll(v.types, v.opts);
    v.samples = [];
  }
  for (let i = 0; i < runs; i++) {
    for (const v of variants) v.samples.push(await listAll(v.types, { ...v.opts, keep: i === 0 && v === variants[1] }));
  }
  const bodies = variants[1].samples[0].bodies;
  const t0 = process.hrtime.bigint();
  out.items = bodies.reduce((n, b) => n + JSON.parse(b).items.length, 0);
  out.jsonParseMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  for (const v of variants) {
    const ms = v.samples.map((x) => x.ms);
    const last = v.samples.at(-1);
    const perType = Object.fromEntries(Object.keys(last.perType).map((k) => [k, Math.round(median(v.samples.map((x) => x.perType[k])))]));
    const r = {
      name: v.name,
      ms: { median: Math.round(median(ms)), min: Math.round(Math.min(...ms)), max: Math.round(Math.max(...ms)) },
      requests: last.requests,
      bytes: last.bytes,
      apiServerCpuMs: Math.round(median(v.samples.map((x) => x.serverCpuMs.apiServer))),
      etcdCpuMs: Math.round(median(v.samples.map((x) => x.serverCpuMs.etcd))),
      perType,
    };
    out.variants.push(r);
    log(`baseline ${r.name}: ${r.ms.median} ms (${r.ms.min}-${r.ms.max}), ${r.requests} requests, ${(r.bytes / 2 ** 20).toFixed(1)} MiB, API server ${r.apiServerCpuMs} ms CPU`);
  }
  log(`baseline JSON.parse of the ${out.items} items: ${out.jsonParseMs} ms`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scans

function scanArgv(cli, outFile = '/dev/null', node = []) {
  return [process.execPath, ...node, cli, 'scan', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '--format', 'json', '-o', outFile, '--fail-on', 'none'];
}

/** One scan by `cli`, with the control plane's and the rest of the machine's CPU meanwhile. */
function scanOnce(cli, outFile) {
  const cpu0 = controlPlaneCpuMs();
  const busy0 = machineBusyMs();
  const m = measure(scanArgv(cli, outFile));
  m.serverCpuMs = diffCpu(cpu0, controlPlaneCpuMs());
  // What the other processes of the machine (not kubeladder, not this control plane) took meanwhile: noise.
  m.otherCpuMs = Math.max(0, machineBusyMs() - busy0 - Object.values(m.serverCpuMs).reduce((a, b) => a + b, 0) - (m.cpuMs ?? 0));
  if (m.code !== 0) throw new Error(`${cli} exited ${m.code}:\n${m.stderr}`);
  return m;
}

/**
 * A warm-up scan by each build (its results kept and counted), then the runs, the builds taken
 * in turn so that a busy moment of the machine slows every build alike.
 */
function scanRuns(builds) {
  const label = (cli) => (cli === CLI ? 'kubeladder' : cli);
  const tmp = mkdtempSync(join(tmpdir(), 'kl-bench-live-'));
  const docs = new Map();
  const samples = new Map(builds.map((cli) => [cli, []]));
  const show = (cli, what, m) =>
    log(
      `${label(cli)} ${what}: ${(m.wallMs / 1000).toFixed(2)} s wall, ${m.cpuMs === undefined ? '?' : (m.cpuMs / 1000).toFixed(2)} s CPU, ${mib(m.rssKiB)} MiB; ` +
        `API server ${(m.serverCpuMs.apiServer / 1000).toFixed(2)} s CPU, etcd ${(m.serverCpuMs.etcd / 1000).toFixed(2)} s; others ${(m.otherCpuMs / 1000).toFixed(2)} s`,
    );
  try {
    builds.forEach((cli, b) => {
      const outFile = join(tmp, `results-${b}.json`);
      show(cli, 'warm-up', scanOnce(cli, outFile));
      docs.set(cli, JSON.parse(readFileSync(outFile, 'utf8')));
    });
    for (let i = 1; i <= runs; i++) {
      for (const cli of builds) {
        const m = scanOnce(cli, '/dev/null');
        samples.get(cli).push(m);
        show(cli, `run ${i}/${runs}`, m);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const summary = (doc) => JSON.stringify([doc.inputs.objects, doc.results.length, doc.summary.counts]);
  return builds.map((cli) => {
    const doc = docs.get(cli);
    const ms = samples.get(cli);
    const wall = ms.map((s) => s.wallMs / 1000);
    const cpu = ms.map((s) => s.cpuMs).filter((x) => x !== undefined).map((x) => x / 1000);
    const rss = ms.map((s) => s.rssKiB).filter((x) => x !== undefined);
    const r = {
      cli,
      runs,
      objects: doc.inputs.objects,
      results: doc.results.length,
      counts: doc.summary.counts,
      problems: doc.problems.length,
      // Another build should find the same: a prototype that is faster because it reads less is no faster.
      sameAsFirst: summary(doc) === summary(docs.get(builds[0])),
      wallS: { median: median(wall), min: Math.min(...wall), max: Math.max(...wall), all: wall },
      cpuS: cpu.length ? { median: median(cpu), all: cpu } : undefined,
      rssMiB: rss.length ? { median: median(rss) / 1024, max: Math.max(...rss) / 1024 } : undefined,
      apiServerCpuS: median(ms.map((s) => s.serverCpuMs.apiServer / 1000)),
      etcdCpuS: median(ms.map((s) => s.serverCpuMs.etcd / 1000)),
      otherCpuS: median(ms.map((s) => s.otherCpuMs / 1000)),
    };
    r.verdicts = [
      against('wall', r.wallS.median, TARGET.wallS, 's', 2),
      r.rssMiB ? against('worst RSS', r.rssMiB.max, TARGET.rssMiB, 'MiB', 0) : 'RSS not measured',
      ...(r.sameAsFirst ? [] : ['results differ from the first build']),
    ];
    r.pass = r.verdicts.every((v) => v.startsWith('PASS'));
    return r;
  });
}

// ---------------------------------------------------------------------------------------------
// Profile: where the scan's time goes (as bench/scan/profile.mjs, with the phases of a live scan)

/** Phases by the frame's script: first match wins; a frame that matches none takes its caller's phase. */
const PHASES = [
  ['module load', (f) => f.url.startsWith('node:internal/modules') || (f.functionName === '' && f.lineNumber === 0 && f.url !== '')],
  ['kubeconfig (client-node)', (f) => /\/node_modules\/@kubernetes\//.test(f.url)],
  ['receive + JSON.parse (client.js)', (f) => /\/dist\/sources\/cluster\/client\.js$/.test(f.url)],
  ['TLS, HTTP, sockets (node:)', (f) => /^node:(_tls|tls|_http|http|https|net|internal\/(tls|http|net|stream_base|streams|js_stream)|stream)/.test(f.url)],
  ['list pages (read.js)', (f) => /\/dist\/sources\/cluster\/read\.js$/.test(f.url)],
  ['inventory', (f) => /\/dist\/core\/(inventory|resource)\.js$/.test(f.url)],
  ['checks + results', (f) => /\/dist\/(checks|engines)\/|\/dist\/core\/(runner|exemptions|check)\.js$/.test(f.url)],
  ['sort + summarise', (f) => /\/dist\/core\/(results|ladder|severity)\.js$/.test(f.url)],
  ['JSON serialise + write', (f) => /\/dist\/reporters\/|\/dist\/cli\/output\.js$/.test(f.url)],
  ['CLI', (f) => /\/dist\/cli\/|\/node_modules\/commander\//.test(f.url)],
];
const SPECIAL = { '(garbage collector)': 'GC', '(idle)': 'idle: waiting for the API server', '(program)': 'V8/native, no JS stack' };

/** `PROFILE_RUNS` scans by `cli` under --cpu-prof: median ms per phase, mean self ms per function. */
function profileScan(cli) {
  const perRun = [];
  for (let i = 0; i < PROFILE_RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'kl-bench-live-prof-'));
    try {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, scanArgv(cli, '/dev/null', ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250']).slice(1), {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${cli} exited ${r.status} under --cpu-prof`);
      const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
      if (cli === CLI) copyFileSync(file, join(ROOT, `bench/results/${resultName()}.cpuprofile`));
      const profile = JSON.parse(readFileSync(file, 'utf8'));
      perRun.push({ wallMs, profiledMs: (profile.endTime - profile.startTime) / 1000, ...charge(profile) });
      log(`profile ${cli === CLI ? 'kubeladder' : cli} ${i + 1}/${PROFILE_RUNS}: ${wallMs.toFixed(0)} ms wall`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const med = (f) => Math.round(median(perRun.map(f)));
  const names = [...new Set(perRun.flatMap((r) => [...r.phases.keys()]))];
  const fns = new Map();
  for (const r of perRun) for (const [k, v] of r.fns) fns.set(k, (fns.get(k) ?? 0) + v / perRun.length);
  const wallMs = med((r) => r.wallMs);
  const profiledMs = med((r) => r.profiledMs);
  return {
    cli,
    runs: PROFILE_RUNS,
    wallMs,
    profiledMs,
    phases: names
      .map((phase) => ({ phase, jsMs: med((r) => r.phases.get(phase)?.js ?? 0), gcMs: med((r) => r.phases.get(phase)?.gc ?? 0) }))
      .sort((x, y) => y.jsMs + y.gcMs - (x.jsMs + x.gcMs)),
    outsideMs: med((r) => r.wallMs - r.profiledMs),
    top: [...fns].sort((x, y) => y[1] - x[1]).slice(0, 15).map(([fn, ms]) => ({ fn, selfMs: Math.round(ms) })),
  };
}

/** Milliseconds per phase (JS and GC apart: a GC sample goes to the phase of the sample before it) and per function. */
function charge(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const phase = phaseClassifier(profile, SPECIAL, PHASES);
  const phases = new Map();
  const fns = new Map();
  const at = (p) => phases.get(p) ?? phases.set(p, { js: 0, gc: 0 }).get(p);
  let last = 'other';
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i];
    const p = phase(id);
    if (p === 'GC') at(last).gc += ms;
    else {
      at(p).js += ms;
      if (!p.startsWith('idle')) last = p;
    }
    const f = nodes.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  return { phases, fns };
}

// ---------------------------------------------------------------------------------------------
// Report

function printReport(rep) {
  const l = rep.load;
  console.log(
    `kubeladder scan --cluster --format json against kube-apiserver ${rep.cluster.version} on the same ${rep.cpus} CPUs, median of ${runs} (after a warm-up); ` +
      `node ${rep.node}, commit ${rep.commit}${rep.dirty ? ' + local changes' : ''}${scale !== 1 ? `, --scale ${scale}` : ''}`,
  );
  const cpuS = (ms) => (ms / 1000).toFixed(1);
  console.log(
    `\nload: ${l.objects.toLocaleString('en')} objects in ${(l.ms / 1000).toFixed(1)} s (${l.perS}/s, ${l.concurrency} POSTs in flight); ` +
      `CPU: API server ${cpuS(l.controlPlaneCpuMs.apiServer)} s, etcd ${cpuS(l.controlPlaneCpuMs.etcd)} s, controller manager ${cpuS(l.controlPlaneCpuMs.controllerManager)} s, this bench ${cpuS(l.benchCpuMs)} s; ` +
      `then quiet after ${(rep.settleMs / 1000).toFixed(1)} s; RSS: API server ${rep.controlPlaneRssMiB.apiServer} MiB, etcd ${rep.controlPlaneRssMiB.etcd} MiB, controller manager ${rep.controlPlaneRssMiB.controllerManager} MiB`,
  );
  console.log(
    table(
      l.kinds.map((k) => ({
        kind: k.kind,
        objects: k.count.toLocaleString('en'),
        s: (k.ms / 1000).toFixed(1),
        'per s': String(k.perS),
        'apiserver CPU s': cpuS(k.controlPlaneCpuMs.apiServer),
        'etcd CPU s': cpuS(k.controlPlaneCpuMs.etcd),
        'ctrl-manager CPU s': cpuS(k.controlPlaneCpuMs.controllerManager),
      })),
      ['kind', 'objects', 's', 'per s', 'apiserver CPU s', 'etcd CPU s', 'ctrl-manager CPU s'],
    ),
  );
  console.log('');
  const rows = rep.scans.map((r) => ({
    build: short(r.cli),
    objects: r.objects.toLocaleString('en'),
    'fail / pass': `${r.counts.fail.toLocaleString('en')} / ${r.counts.pass.toLocaleString('en')}`,
    'median s': r.wallS.median.toFixed(2),
    'min s': r.wallS.min.toFixed(2),
    'max s': r.wallS.max.toFixed(2),
    'CPU s': r.cpuS ? r.cpuS.median.toFixed(2) : '?',
    'peak RSS MiB': r.rssMiB ? r.rssMiB.median.toFixed(0) : '?',
    'apiserver CPU s': r.apiServerCpuS.toFixed(2),
    'etcd CPU s': r.etcdCpuS.toFixed(2),
    'others CPU s': r.otherCpuS.toFixed(2),
    verdict: r.verdicts.join('; '),
  }));
  console.log(table(rows, Object.keys(rows[0])));

  const b = rep.baseline;
  console.log(`\nbaseline: the scan's ${b.kinds.length} lists as plain requests from this process (bytes read, not parsed), median of ${b.runs}; JSON.parse of the ${b.items.toLocaleString('en')} items apart: ${b.jsonParseMs} ms`);
  console.log(
    table(
      b.variants.map((v) => ({
        variant: v.name,
        'median ms': String(v.ms.median),
        'min ms': String(v.ms.min),
        'max ms': String(v.ms.max),
        requests: String(v.requests),
        MiB: (v.bytes / 2 ** 20).toFixed(1),
        'apiserver CPU ms': String(v.apiServerCpuMs),
        'etcd CPU ms': String(v.etcdCpuMs),
        'slowest type': Object.entries(v.perType).sort((x, y) => y[1] - x[1]).slice(0, 1).map(([k, ms]) => `${k} ${ms} ms`)[0],
      })),
      ['variant', 'median ms', 'min ms', 'max ms', 'requests', 'MiB', 'apiserver CPU ms', 'etcd CPU ms', 'slowest type'],
    ),
  );

  if (rep.profiles) {
    const ps = rep.profiles;
    const names = [...new Set(ps.flatMap((p) => p.phases.map((x) => x.phase)))];
    const cols = ps.map((p) => `${short(p.cli)} ms`);
    const total = (p, phase) => {
      const x = p.phases.find((y) => y.phase === phase);
      return x ? x.jsMs + x.gcMs : 0;
    };
    console.log(
      `\nwhere a scan's time goes: node --cpu-prof, median of ${ps[0].runs} per build (${ps.map((p) => `${short(p.cli)} ${p.wallMs} ms wall`).join(', ')}); ` +
        'JS and GC together, GC charged to the phase it interrupted; share of the first build\'s wall time',
    );
    const rowsP = names.map((phase) => ({
      phase,
      ...Object.fromEntries(ps.map((p, i) => [cols[i], String(total(p, phase))])),
      [`GC ms (${short(ps[0].cli)})`]: String(ps[0].phases.find((y) => y.phase === phase)?.gcMs ?? 0),
      share: `${((total(ps[0], phase) / ps[0].wallMs) * 100).toFixed(1)}%`,
    }));
    rowsP.push({
      phase: 'outside the profile (node start-up, exit)',
      ...Object.fromEntries(ps.map((p, i) => [cols[i], String(p.outsideMs)])),
      share: `${((ps[0].outsideMs / ps[0].wallMs) * 100).toFixed(1)}%`,
    });
    console.log(table(rowsP, ['phase', ...cols, `GC ms (${short(ps[0].cli)})`, 'share']));
    console.log(`\ntop functions of ${short(ps[0].cli)} by self time (mean):`);
    console.log(table(ps[0].top.map((f) => ({ 'self ms': String(f.selfMs), function: f.fn })), ['self ms', 'function']));
  }
}

/** bench/results/<this>.json and .cpuprofile: a --scale run never takes the place of a full one. */
function resultName() {
  return scale === 1 ? 'live' : `live-scale-${scale}`;
}

/** A build's name in the tables: `dist` for this one, else the directory holding its bin/. */
function short(cli) {
  return cli === CLI ? 'dist' : basename(dirname(dirname(cli)));
}


await main();
