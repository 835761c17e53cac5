#!/usr/bin/env node
// The Pod Security Standards engine benchmark: how many already-parsed pod specs one thread
// (one core) judges per second, against the target of 200,000 at restricted/latest.
//
//   node bench/pss/run.mjs [--runs N] [--pods N] [--seed N] [--engine FILE]
//
// Builds a varied corpus in memory (seeded, so every machine judges the same pods): pods that
// meet restricted, baseline-only ones, privileged ones and oddities (Windows, seccomp and
// AppArmor annotations, sysctls, SELinux, probe hosts, user namespaces), 1-4 containers, init
// containers, volumes and annotations. Imports dist/engines/pss/index.js (build first:
// `npx tsc -p .`), warms up, then times N rounds (default 9) of evaluatePodSpec over the whole
// corpus at restricted/latest (the target), and baseline/latest and restricted/v1.25 for the
// record. Prints the median pods/second per configuration, writes bench/results/pss.json, and
// exits 1 when restricted/latest is under the target. --engine FILE times another build of the
// engine's index.js (a prototype, say) on the same corpus.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, checkBuild, environment, median, mulberry32, options, table } from '../lib.mjs';

const TARGET = 200_000; // pod specs per second per core, restricted/latest
const CONFIGS = [
  { level: 'restricted', version: 'latest', target: TARGET },
  { level: 'baseline', version: 'latest' },
  { level: 'restricted', version: 'v1.25' },
];

const args = options(
  { runs: { type: 'string', default: '9' }, pods: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' }, engine: { type: 'string' } },
  'node bench/pss/run.mjs [--runs N] [--pods N] [--seed N] [--engine FILE]',
);
const runs = Number(args.runs);
const pods = Number(args.pods);
if (!(Number.isInteger(pods) && pods > 0)) {
  process.stderr.write('--pods takes a positive whole number\n');
  process.exit(2);
}

const engine = args.engine ? resolve(args.engine) : join(ROOT, 'dist/engines/pss/index.js');
if (!args.engine) checkBuild();
const { evaluatePodSpec } = await import(pathToFileURL(engine).href);
const env = environment();
const cpuModel = cpus()[0]?.model?.trim() || 'unknown';

// --------------------------------------------------------------------------------------------
// The corpus

const rand = mulberry32(Number(args.seed));
const chance = (p) => rand() < p;
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const between = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const IMAGES = ['ghcr.io/acme/api:1.4.2', 'registry.example/web@sha256:4f1d', 'nginx:1.27', 'busybox:1.36', 'quay.io/prometheus/node-exporter:v1.8.0'];

/** A container: `kind` is restricted, baseline (no hardening) or privileged (something baseline forbids). */
function container(name, kind, podLevelHardened) {
  const c = { name, image: pick(IMAGES) };
  if (chance(0.7)) c.ports = [{ name: 'http', containerPort: 8080, protocol: 'TCP' }];
  if (chance(0.5)) c.env = [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }];
  if (chance(0.8)) c.resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } };
  if (chance(0.6)) c.readinessProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10 };
  if (chance(0.4)) c.livenessProbe = { tcpSocket: { port: 8080 } };
  if (chance(0.3)) c.volumeMounts = [{ name: 'config', mountPath: '/etc/app', readOnly: true }];
  if (kind === 'restricted') {
    const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    if (chance(0.2)) sc.capabilities.add = ['NET_BIND_SERVICE'];
    if (chance(0.5)) sc.readOnlyRootFilesystem = true;
    if (!podLevelHardened) Object.assign(sc, { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    if (chance(0.3)) sc.runAsUser = 10001;
    c.securityContext = sc;
  } else if (kind === 'baseline') {
    if (chance(0.5)) c.securityContext = chance(0.5) ? { readOnlyRootFilesystem: true } : { allowPrivilegeEscalation: true, capabilities: { add: ['CHOWN'] } };
  } else {
    switch (between(0, 4)) {
      case 0:
        c.securityContext = { privileged: true };
        break;
      case 1:
        c.securityContext = { capabilities: { add: ['SYS_ADMIN', 'NET_ADMIN'] } };
        break;
      case 2:
        c.ports = [{ containerPort: 9100, hostPort: 9100 }];
        break;
      case 3:
        c.securityContext = { procMount: 'Unmasked', runAsUser: 0 };
        break;
      default:
        c.securityContext = { seLinuxOptions: { type: 'spc_t' }, seccompProfile: { type: 'Unconfined' } };
    }
  }
  return c;
}

function volumes(kind) {
  const out = [];
  const n = between(0, 3);
  for (let i = 0; i < n; i++) {
    const v = { name: `vol-${i}` };
    switch (between(0, 5)) {
      case 0:
        v.configMap = { name: 'app-config' };
        break;
      case 1:
        v.secret = { secretName: 'app-tls' };
        break;
      case 2:
        v.emptyDir = {};
        break;
      case 3:
        v.projected = { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] };
        break;
      case 4:
        v.persistentVolumeClaim = { claimName: 'data' };
        break;
      default:
        v.downwardAPI = { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] };
    }
    out.push(v);
  }
  if (kind === 'privileged' && chance(0.4)) out.push({ name: 'host', hostPath: { path: '/', type: 'Directory' } });
  if (kind === 'baseline' && chance(0.2)) out.push({ name: 'cache', nfs: { server: 'nfs.example', path: '/cache' } });
  return out;
}

function pod(i) {
  const r = rand();
  const kind = r < 0.45 ? 'restricted' : r < 0.8 ? 'baseline' : 'privileged';
  const odd = chance(0.1);
  const meta = { name: `pod-${i}`, labels: { app: `app-${i % 500}`, tier: pick(['web', 'api', 'worker']) } };
  if (chance(0.5)) meta.annotations = { 'prometheus.io/scrape': 'true', 'kubectl.kubernetes.io/default-container': 'main' };
  const spec = {};
  const podLevelHardened = kind === 'restricted' && chance(0.7);
  if (podLevelHardened) spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 2000 };
  else if (chance(0.3)) spec.securityContext = { fsGroup: 2000 };
  if (chance(0.5)) spec.serviceAccountName = `sa-${i % 50}`;
  if (kind === 'privileged' && chance(0.4)) Object.assign(spec, pick([{ hostNetwork: true }, { hostPID: true }, { hostNetwork: true, hostIPC: true }]));
  const nInit = chance(0.3) ? between(1, 2) : 0;
  if (nInit) spec.initContainers = Array.from({ length: nInit }, (_, k) => container(`init-${k}`, kind === 'privileged' ? 'baseline' : kind, podLevelHardened));
  const nContainers = between(1, 4);
  spec.containers = Array.from({ length: nContainers }, (_, k) => container(k === 0 ? 'main' : `sidecar-${k}`, k === 0 || kind !== 'privileged' ? kind : 'baseline', podLevelHardened));
  const vols = volumes(kind);
  if (vols.length) spec.volumes = vols;
  if (odd) oddity(meta, spec);
  return { meta, spec };
}

/** What a tenth of pods carry besides: the rarer fields each check reads. */
function oddity(meta, spec) {
  const a = (meta.annotations ??= {});
  switch (between(0, 6)) {
    case 0:
      spec.os = { name: 'windows' };
      spec.securityContext = { ...spec.securityContext, windowsOptions: { hostProcess: chance(0.5) } };
      break;
    case 1:
      a['seccomp.security.alpha.kubernetes.io/pod'] = pick(['runtime/default', 'unconfined']);
      break;
    case 2:
      a[`container.apparmor.security.beta.kubernetes.io/${spec.containers[0].name}`] = pick(['runtime/default', 'unconfined', 'localhost/strict']);
      break;
    case 3:
      spec.securityContext = { ...spec.securityContext, sysctls: [{ name: pick(['net.ipv4.tcp_keepalive_time', 'kernel.msgmax']), value: '600' }] };
      break;
    case 4:
      spec.securityContext = { ...spec.securityContext, seLinuxOptions: { type: pick(['container_t', 'container_engine_t', 'spc_t']), level: 's0:c1,c2' } };
      break;
    case 5:
      spec.containers[0].readinessProbe = { httpGet: { host: '10.0.0.1', path: '/healthz', port: 8080 } };
      break;
    default:
      spec.hostUsers = false;
  }
}

const corpus = Array.from({ length: pods }, (_, i) => pod(i));
const containers = corpus.reduce((n, p) => n + p.spec.containers.length + (p.spec.initContainers?.length ?? 0), 0);

// --------------------------------------------------------------------------------------------
// Timing

function round(level, version) {
  let denied = 0;
  let violations = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < corpus.length; i++) {
    const p = corpus[i];
    const r = evaluatePodSpec(p.meta, p.spec, level, version);
    if (!r.allowed) {
      denied++;
      violations += r.violations.length;
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { ns, denied, violations };
}

// Warm up every configuration first, so no configuration is timed while V8 still tiers up.
const warmUp = Math.max(3, Math.ceil(100_000 / pods));
for (const c of CONFIGS) for (let i = 0; i < warmUp; i++) round(c.level, c.version);

const results = [];
for (const c of CONFIGS) {
  const rates = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = round(c.level, c.version);
    rates.push(corpus.length / (last.ns / 1e9));
  }
  const r = {
    level: c.level,
    version: c.version,
    podsPerSecond: { median: median(rates), min: Math.min(...rates), max: Math.max(...rates), all: rates.map(Math.round) },
    microsPerPod: 1e6 / median(rates),
    denied: last.denied,
    violations: last.violations,
    target: c.target,
  };
  if (c.target !== undefined) r.pass = r.podsPerSecond.median >= c.target;
  results.push(r);
  process.stderr.write(`${c.level}:${c.version}: median ${Math.round(r.podsPerSecond.median).toLocaleString('en')} pods/s\n`);
}

const fmt = (x) => Math.round(x).toLocaleString('en');
const rows = results.map((r) => ({
  'level:version': `${r.level}:${r.version}`,
  'median pods/s': fmt(r.podsPerSecond.median),
  'min pods/s': fmt(r.podsPerSecond.min),
  'max pods/s': fmt(r.podsPerSecond.max),
  'us/pod': r.microsPerPod.toFixed(2),
  denied: `${((r.denied / corpus.length) * 100).toFixed(0)}%`,
  verdict: r.target === undefined ? '' : `${r.pass ? 'PASS' : 'MISS'} ${r.pass ? '>=' : '<'} ${fmt(r.target)} pods/s (${Math.round((r.podsPerSecond.median / r.target) * 100)}% of target)`,
}));
console.log(
  `evaluatePodSpec on ${corpus.length.toLocaleString('en')} parsed pod specs (${containers.toLocaleString('en')} containers), one thread, median of ${runs} rounds after ${warmUp} warm-up rounds per configuration`,
);
console.log(`engine ${relative(ROOT, engine)}; node ${env.node}, ${cpuModel}, ${env.cpus} CPUs, load ${env.load}, commit ${env.commit}${env.dirty ? ' + local changes' : ''}`);
console.log(table(rows, Object.keys(rows[0])));

const out = join(ROOT, args.engine ? 'bench/results/pss-engine.json' : 'bench/results/pss.json');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const { measuredBy: _unused, ...facts } = env;
writeFileSync(out, `${JSON.stringify({ ...facts, cpuModel, engine: relative(ROOT, engine), pods: corpus.length, containers, seed: Number(args.seed), runs, warmUp, results }, null, 2)}\n`);
console.log(`\nwrote ${out}`);
process.exitCode = results.every((r) => r.pass !== false) ? 0 : 1;
