/**
 * A real Kubernetes control plane for the live-cluster tests: etcd, kube-apiserver and
 * kube-controller-manager, the upstream binaries built by scripts/install-test-cluster.sh,
 * running as child processes on free 127.0.0.1 ports with a throwaway PKI made by openssl.
 *
 * There are no nodes and no kubelet, so pods are stored and admitted but never run; everything
 * the API server and the controllers do (authentication, RBAC, admission including PodSecurity,
 * service accounts, namespace deletion, ClusterRole aggregation, ...) is the real thing.
 *
 *   let cluster: Cluster;
 *   beforeAll(async () => { cluster = await startCluster(); });
 *   afterAll(async () => { await cluster?.stop(); });
 *
 * Each call starts its own cluster in its own temp dir, so test files (and clusters within a
 * file) never share state. Startup takes 3-5 s on the 2-core CI machine (API server ready after
 * ~2.5 s, the controller manager's first ServiceAccount ~1 s later); a cluster uses ~450 MB of
 * memory and ~125 MB in its temp dir. See test/cluster/harness.slow.test.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GO_MOD = join(ROOT, 'tools/test-cluster/go.mod');

/** The pinned Kubernetes release: the `k8s.io/kubernetes` requirement of tools/test-cluster/go.mod. */
export const K8S_VERSION: string = pinned('k8s.io/kubernetes');
/** The pinned etcd release (`go.etcd.io/etcd/server/v3` there), without the leading `v`. */
export const ETCD_VERSION: string = pinned('go.etcd.io/etcd/server/v3').replace(/^v/, '');

function pinned(module: string): string {
  const m = new RegExp(`^\\s*${module.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm').exec(readFileSync(GO_MOD, 'utf8'));
  if (!m) throw new Error(`cannot find the ${module} version in ${GO_MOD}`);
  return m[1]!;
}

/** Where scripts/install-test-cluster.sh puts the binaries (same environment overrides). */
export function clusterBinDir(): string {
  if (process.env.KUBELADDER_TEST_CLUSTER_BIN_DIR) return process.env.KUBELADDER_TEST_CLUSTER_BIN_DIR;
  const root = process.env.KUBELADDER_TEST_CLUSTER_CACHE ?? join(homedir(), '.cache/kubeladder/test-cluster');
  return join(root, K8S_VERSION);
}

export interface ClusterOptions {
  /** Directory with kube-apiserver, kube-controller-manager and etcd (default: {@link clusterBinDir}). */
  binDir?: string;
  /** Bound for the whole start (API server ready, then the default ServiceAccount there); default 90 s. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags, appended (a later flag wins). */
  apiServerArgs?: string[];
  /** Extra kube-controller-manager flags, appended. */
  controllerManagerArgs?: string[];
}

export interface Cluster {
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM file of the cluster CA (it signs the serving cert and every client cert). */
  caFile: string;
  /** Kubeconfig of a cluster-admin (user kubeladder-admin, group system:masters). */
  adminKubeconfig: string;
  /** Kubeconfig (written once per user/groups) with a client cert for that user, signed by the cluster CA. */
  kubeconfigFor(user: string, groups?: string[]): string;
  /** The API server's gitVersion, e.g. v1.37.2. */
  version: string;
  /**
   * The temp dir holding the PKI, etcd's data, kubeconfigs and the logs (`<name>.log`); removed by
   * stop() unless KUBELADDER_TEST_CLUSTER_KEEP=1 (to read the logs after a failure).
   */
  dir: string;
  /** Process ids, for tests that check nothing is left behind. */
  pids: { etcd: number; apiServer: number; controllerManager: number };
  /** Milliseconds from the start of startCluster to: PKI made, /readyz 200, `default` ServiceAccount there. */
  startup: { pkiMs: number; readyMs: number; serviceAccountMs: number };
  /** Log file of each process. */
  logs: { etcd: string; apiServer: string; controllerManager: string };
  /** A request as the admin, or as the user of `opts.kubeconfig`. */
  request<T = any>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<KubeResponse<T>>;
  /** Stops the three processes (SIGTERM, SIGKILL after a bound) and removes {@link dir}. Idempotent. */
  stop(): Promise<void>;
}

export interface RequestOptions {
  kubeconfig?: string;
  /** Content-Type of the body; default application/json. */
  contentType?: string;
  timeoutMs?: number;
}

export interface KubeResponse<T = any> {
  status: number;
  /** The parsed JSON body, or undefined when it is not JSON. */
  body: T;
  text: string;
}

const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const START_ATTEMPTS = 3;

/** Starts a cluster; retries with new ports if another process took one of them in between. */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw err;
    }
  }
}

class PortTakenError extends Error {}

// ---------------------------------------------------------------------------------------------
// Processes

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
  done: boolean;
}

/** Every process and dir still to clean up, for the process-exit safety net. */
const live = new Set<{ procs: Proc[]; dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' runs on a normal exit and after an uncaught error; synchronous work only.
  process.on('exit', () => {
    for (const c of live) {
      for (const p of c.procs) if (!p.done) safeKill(p.child.pid, 'SIGKILL');
      rmSync(c.dir, { recursive: true, force: true });
    }
  });
}

function safeKill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

function spawnLogged(name: string, bin: string, args: string[], dir: string): Proc {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { cwd: dir, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const proc: Proc = { name, child, log, done: false, exited: Promise.resolve() };
  proc.exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      proc.done = true;
      resolve();
    });
    child.once('error', (err) => {
      proc.done = true;
      writeFileSync(log, `\nkubeladder test harness: cannot start ${bin}: ${err.message}\n`, { flag: 'a' });
      resolve();
    });
  });
  return proc;
}

/**
 * Stops the processes one by one, last started first (controller manager, API server, etcd):
 * each exits in about a second when what it talks to is still up, but the API server waits out
 * its timeouts if etcd goes first.
 */
async function stopProcs(procs: Proc[]): Promise<void> {
  for (const p of [...procs].reverse()) {
    if (p.done) continue;
    safeKill(p.child.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      p.exited.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      safeKill(p.child.pid, 'SIGKILL');
      await p.exited;
    }
  }
}

/**
 * A watchdog in its own session that SIGKILLs the processes and removes the dir if this Node
 * process disappears without running its 'exit' handlers (SIGKILL, a killed vitest worker).
 */
function spawnWatchdog(pids: number[], dir: string): ChildProcess {
  const script =
    'parent=$1; dir=$2; shift 2; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; ' +
    'for p in "$@"; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$dir"';
  const w = spawn('/bin/sh', ['-c', script, 'watchdog', String(process.pid), dir, ...pids.map(String)], {
    detached: true,
    stdio: 'ignore',
  });
  w.unref();
  return w;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

const handedOut = new Set<number>();

/** A port the kernel says is free on 127.0.0.1 now, never the same twice in this process. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    if (port && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PKI (openssl; EC P-256 keys, which are instant to make)

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(dir: string, file: string): void {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

/** Makes `<name>.key` and `<name>.crt`, signed by ca.crt/ca.key, with the given subject and extensions. */
function issue(dir: string, name: string, subject: string, ext: string[]): void {
  newKey(dir, `${name}.key`);
  openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`,
  ]);
  rmSync(join(dir, `${name}.csr`));
  rmSync(join(dir, `${name}.ext`));
}

/** `/CN=x/O=a/O=b` with the characters openssl's -subj treats specially escaped. */
function subjectOf(cn: string, orgs: string[]): string {
  const esc = (s: string) => s.replace(/[\\/,+=<>#;"]/g, (c) => `\\${c}`);
  return `/CN=${esc(cn)}` + orgs.map((o) => `/O=${esc(o)}`).join('');
}

const CLIENT_EXT = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];

function makePki(dir: string): void {
  newKey(dir, 'ca.key');
  openssl(dir, [
    'req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=kubeladder-test-ca', '-days', '2', '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', 'ca.crt',
  ]);
  issue(dir, 'apiserver', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
      'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
  ]);
  // The service-account token signing key pair.
  newKey(dir, 'sa.key');
  openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

function b64(dir: string, file: string): string {
  return readFileSync(join(dir, file)).toString('base64');
}

function kubeconfigText(server: string, caData: string, user: string, certData: string, keyData: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kubeladder-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${caData}`,
    'users:',
    `- name: ${JSON.stringify(user)}`,
    '  user:',
    `    client-certificate-data: ${certData}`,
    `    client-key-data: ${keyData}`,
    'contexts:',
    '- name: kubeladder-test',
    '  context:',
    '    cluster: kubeladder-test',
    `    user: ${JSON.stringify(user)}`,
    '    namespace: default',
    'current-context: kubeladder-test',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Requests

interface Creds {
  server: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

const credsCache = new Map<string, Creds>();

/** The server, CA and client cert/key of a kubeconfig's current context (the *-data fields). */
export function credentialsOf(kubeconfig: string): Creds {
  const hit = credsCache.get(kubeconfig);
  if (hit) return hit;
  const cfg = parseYaml(readFileSync(kubeconfig, 'utf8'));
  const ctx = cfg.contexts.find((c: any) => c.name === cfg['current-context']).context;
  const cluster = cfg.clusters.find((c: any) => c.name === ctx.cluster).cluster;
  const user = cfg.users.find((u: any) => u.name === ctx.user).user;
  const data = (s: string) => Buffer.from(s, 'base64');
  const creds = {
    server: cluster.server,
    ca: data(cluster['certificate-authority-data']),
    cert: data(user['client-certificate-data']),
    key: data(user['client-key-data']),
  };
  credsCache.set(kubeconfig, creds);
  return creds;
}

/** One HTTPS request to the API server with a kubeconfig's client cert. */
export function kubeRequest<T = any>(
  kubeconfig: string,
  method: string,
  path: string,
  body?: unknown,
  opts: Omit<RequestOptions, 'kubeconfig'> = {},
): Promise<KubeResponse<T>> {
  const c = credentialsOf(kubeconfig);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, c.server),
      {
        method,
        ca: c.ca,
        cert: c.cert,
        key: c.key,
        agent: false,
        timeout: opts.timeoutMs ?? 30_000,
        headers: {
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': opts.contentType ?? 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------
// Start

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * --enable-admission-plugins adds to the defaults. In 1.37 every one of these but
 * NodeRestriction is already on by default (with TaintNodesByCondition, Priority,
 * DefaultTolerationSeconds, StorageObjectInUseProtection, PersistentVolumeClaimResize,
 * RuntimeClass, the Certificate* plugins, DefaultIngressClass, ValidatingAdmissionPolicy,
 * MutatingAdmissionPolicy, ...); they are listed so the set the tests rely on is explicit.
 */
const ADMISSION_PLUGINS = [
  'NodeRestriction',
  'PodSecurity',
  'ServiceAccount',
  'NamespaceLifecycle',
  'LimitRanger',
  'ResourceQuota',
  'DefaultStorageClass',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
];

async function startOnce(opts: ClusterOptions): Promise<Cluster> {
  const bin = opts.binDir ?? clusterBinDir();
  for (const b of ['etcd', 'kube-apiserver', 'kube-controller-manager']) {
    if (!existsSync(join(bin, b))) {
      throw new Error(
        `${join(bin, b)} is missing: run \`bash scripts/install-test-cluster.sh\` to build Kubernetes ${K8S_VERSION} ` +
          `(or point KUBELADDER_TEST_CLUSTER_BIN_DIR at a directory with etcd, kube-apiserver and kube-controller-manager)`,
      );
    }
  }
  const timeout = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  installExitHook();

  const dir = mkdtempSync(join(tmpdir(), 'kubeladder-cluster-'));
  const entry = { procs: [] as Proc[], dir };
  live.add(entry);
  let watchdog: ChildProcess | undefined;
  const cleanup = async () => {
    await stopProcs(entry.procs);
    if (watchdog && watchdog.exitCode === null) safeKill(watchdog.pid, 'SIGKILL');
    if (process.env.KUBELADDER_TEST_CLUSTER_KEEP === '1') console.warn(`test cluster: kept ${dir} (KUBELADDER_TEST_CLUSTER_KEEP=1)`);
    else rmSync(dir, { recursive: true, force: true });
    live.delete(entry);
  };

  const t0 = Date.now();
  try {
    makePki(dir);
    const [etcdClient, etcdPeer, apiPort, kcmPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const server = `https://127.0.0.1:${apiPort}`;
    const caData = b64(dir, 'ca.crt');

    const kubeconfigs = new Map<string, string>();
    const kubeconfigFor = (user: string, groups: string[] = []): string => {
      const id = JSON.stringify([user, [...groups].sort()]);
      const known = kubeconfigs.get(id);
      if (known) return known;
      const name = `user-${kubeconfigs.size}`;
      issue(dir, name, subjectOf(user, groups), CLIENT_EXT);
      const file = join(dir, `${name}.kubeconfig`);
      writeFileSync(file, kubeconfigText(server, caData, user, b64(dir, `${name}.crt`), b64(dir, `${name}.key`)), { mode: 0o600 });
      kubeconfigs.set(id, file);
      return file;
    };
    const adminKubeconfig = kubeconfigFor('kubeladder-admin', ['system:masters']);
    // The controller manager's own identity, which the default RBAC policy binds.
    const kcmKubeconfig = kubeconfigFor('system:kube-controller-manager');
    const pkiMs = Date.now() - t0;

    const etcd = spawnLogged('etcd', join(bin, 'etcd'), [
      '--name=default',
      `--data-dir=${join(dir, 'etcd-data')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster-state=new',
      // Throwaway data: skipping fsync makes every write (and so startup) much faster.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ], dir);
    entry.procs.push(etcd);

    const apiServer = spawnLogged('kube-apiserver', join(bin, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${join(dir, 'apiserver.crt')}`,
      `--tls-private-key-file=${join(dir, 'apiserver.key')}`,
      `--client-ca-file=${join(dir, 'ca.crt')}`,
      '--authorization-mode=Node,RBAC',
      `--enable-admission-plugins=${ADMISSION_PLUGINS.join(',')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/12',
      // Privileged pods must be storable so that PodSecurity, not this flag, is what rejects them.
      '--allow-privileged=true',
      // The `kubernetes` Service gets no Endpoints: 127.0.0.1 is not a valid endpoint address
      // (nothing is routed to the service range anyway).
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      ...(opts.apiServerArgs ?? []),
    ], dir);
    entry.procs.push(apiServer);
    watchdog = spawnWatchdog([etcd.child.pid ?? 0, apiServer.child.pid ?? 0].filter(Boolean), dir);

    const failed = (what: string, procs: Proc[]) => {
      const logs = procs.map((p) => `--- ${p.name} (${p.log}${p.done ? `, exited ${p.child.exitCode ?? p.child.signalCode}` : ''}):\n${tail(p.log)}`);
      const text = logs.join('\n');
      const E = /address already in use/i.test(text) ? PortTakenError : Error;
      return new E(`test cluster: ${what}\n${text}`);
    };

    // Ready: /readyz is 200 once etcd is reachable and every post-start hook (RBAC bootstrap
    // policy, priority and fairness, ...) has finished.
    const deadline = Date.now() + timeout;
    for (;;) {
      if (apiServer.done || etcd.done) throw failed('a process exited during startup', [etcd, apiServer]);
      const r = await kubeRequest(adminKubeconfig, 'GET', '/readyz', undefined, { timeoutMs: 5_000 }).catch(() => undefined);
      if (r?.status === 200) break;
      if (Date.now() > deadline) throw failed(`kube-apiserver not ready after ${timeout / 1000}s (last /readyz: ${r?.status ?? 'no answer'})`, [etcd, apiServer]);
      await sleep(100);
    }

    const readyMs = Date.now() - t0;

    // Started after the API server is ready: it gives up if the API server is not healthy soon.
    const controllerManager = spawnLogged('kube-controller-manager', join(bin, 'kube-controller-manager'), [
      `--kubeconfig=${kcmKubeconfig}`,
      `--service-account-private-key-file=${join(dir, 'sa.key')}`,
      `--root-ca-file=${join(dir, 'ca.crt')}`,
      `--cluster-signing-cert-file=${join(dir, 'ca.crt')}`,
      `--cluster-signing-key-file=${join(dir, 'ca.key')}`,
      '--use-service-account-credentials',
      '--controllers=*',
      '--leader-elect=false',
      // The defaults (20/30) throttle its start-up, when it makes a ServiceAccount and token for
      // each controller (--use-service-account-credentials): 8 s to the first ServiceAccount
      // instead of under 1 s.
      '--kube-api-qps=200',
      '--kube-api-burst=400',
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      `--cert-dir=${join(dir, 'kcm-certs')}`,
      '--service-cluster-ip-range=10.96.0.0/12',
      '--profiling=false',
      ...(opts.controllerManagerArgs ?? []),
    ], dir);
    entry.procs.push(controllerManager);
    safeKill(watchdog.pid, 'SIGKILL');
    watchdog = spawnWatchdog(entry.procs.map((p) => p.child.pid ?? 0).filter(Boolean), dir);

    // The controller manager works: its service-account controller made `default` in `default`.
    for (;;) {
      if (controllerManager.done || apiServer.done || etcd.done) throw failed('a process exited during startup', entry.procs);
      const r = await kubeRequest(adminKubeconfig, 'GET', '/api/v1/namespaces/default/serviceaccounts/default', undefined, { timeoutMs: 5_000 }).catch(() => undefined);
      if (r?.status === 200) break;
      if (Date.now() > deadline) throw failed(`no default ServiceAccount after ${timeout / 1000}s (kube-controller-manager not working?)`, entry.procs);
      await sleep(100);
    }

    const serviceAccountMs = Date.now() - t0;
    const v = await kubeRequest(adminKubeconfig, 'GET', '/version');
    let stopping: Promise<void> | undefined;
    return {
      server,
      caFile: join(dir, 'ca.crt'),
      adminKubeconfig,
      kubeconfigFor,
      version: v.body?.gitVersion ?? '',
      dir,
      pids: { etcd: etcd.child.pid ?? 0, apiServer: apiServer.child.pid ?? 0, controllerManager: controllerManager.child.pid ?? 0 },
      startup: { pkiMs, readyMs, serviceAccountMs },
      logs: { etcd: etcd.log, apiServer: apiServer.log, controllerManager: controllerManager.log },
      request: (method, path, body, ropts = {}) => kubeRequest(ropts.kubeconfig ?? adminKubeconfig, method, path, body, ropts),
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Polls until `probe` gives a value (controllers and RBAC's caches act within seconds), bounded. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
