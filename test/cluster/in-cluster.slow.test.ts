/**
 * The in-cluster scanner on a real API server: the output of `generate in-cluster` applied,
 * then the scan run exactly as the CronJob runs it, with a token of the generated
 * ServiceAccount. Its RBAC lets it read all it needs and write its PolicyReports (installing
 * the CRDs itself); reruns update and prune; shards cover every namespace once; a scanner that
 * may not write says so in one line; the pod is admitted under the restricted Pod Security
 * Standard, and an Indexed Job gives each pod its shard.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { neededKinds, parseShard } from '../../src/cli/cluster.js';
import type { ResultsDocument } from '../../src/core/results.js';
import type { PolicyReportObject } from '../../src/reporters/policyreport.js';
import { connect } from '../../src/sources/cluster/client.js';
import { listCluster, shardOf } from '../../src/sources/cluster/read.js';
import { cli, ROOT, type CliRun } from '../helpers/cli.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
const work = mkdtempSync(join(tmpdir(), 'kl-in-cluster-'));
const NS = 'kubeladder';
const SA = 'kubeladder-scanner';
const REPORTS = '/apis/wgpolicyk8s.io/v1alpha2';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
/** Extra namespaces, named so that each of 3 shards owns at least one (checked below). */
const TEAMS = ['team-a', 'team-b', 'team-c', 'team-d', 'team-e', 'team-f'];
let manifests = '';
let applyStderr = '';
let scanner = '';

function kubectl(args: string[], input?: string, kubeconfig = cluster.adminKubeconfig): { stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
    return { stdout, stderr: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw Object.assign(new Error(`kubectl ${args.join(' ')}: ${err.stderr ?? err.message}`), { stdout: err.stdout, stderr: err.stderr });
  }
}

/** kubectl with stderr kept (PodSecurity warnings are printed there on success). */
function kubectlWithWarnings(args: string[], input: string): string {
  return execFileSync('sh', ['-c', 'kubectl --kubeconfig "$0" "$@" 2>&1', cluster.adminKubeconfig, ...args], { encoding: 'utf8', input });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ok<T = any>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const r = await cluster.request<T>(method, path, body, contentType ? { contentType } : {});
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.body;
}

/** A kubeconfig that authenticates with a bearer token, as the pod's mounted token does. */
function tokenKubeconfig(name: string, token: string): string {
  const file = join(work, `${name}.kubeconfig`);
  const ca = readFileSync(cluster.caFile).toString('base64');
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${cluster.server}", certificate-authority-data: ${ca}}\n` +
      `users:\n- name: ${name}\n  user: {token: "${token}"}\ncontexts:\n- name: c\n  context: {cluster: c, user: ${name}}\ncurrent-context: c\n`,
    { mode: 0o600 },
  );
  return file;
}

async function serviceAccountKubeconfig(ns: string, sa: string): Promise<string> {
  const tr = await ok('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } });
  return tokenKubeconfig(`${ns}-${sa}`, tr.status.token);
}

/** The scan as the CronJob runs it, plus JSON output for the assertions. */
async function scanAsCronJob(extra: string[] = [], kubeconfig = scanner): Promise<CliRun & { doc: ResultsDocument }> {
  const r = await cli(['scan', '--cluster', '--kubeconfig', kubeconfig, '--write-reports', '--fail-on', 'none', '--format', 'json', ...extra]);
  if (!r.stdout) throw new Error(`no output (exit ${r.code}): ${r.stderr}`);
  return { ...r, doc: JSON.parse(r.stdout) as ResultsDocument };
}

async function policyReports(): Promise<PolicyReportObject[]> {
  const list = await ok<{ items: PolicyReportObject[] }>('GET', `${REPORTS}/policyreports`);
  const key = (r: PolicyReportObject) => `${r.metadata.namespace}/${r.metadata.name}`;
  return list.items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** What the admin's own scan would write: the reports `--format policyreport` prints, every result listed. */
async function expectedReports(): Promise<PolicyReportObject[]> {
  const r = await cli(['scan', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '--format', 'policyreport', '--show-passed', '--show-exempt', '--fail-on', 'none']);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as PolicyReportObject);
}

const content = (r: PolicyReportObject) => ({ kind: r.kind, name: r.metadata.name, namespace: r.metadata.namespace, labels: r.metadata.labels, summary: r.summary, results: r.results });

/** Kubernetes' $(VAR) expansion of env values and args (kubelet's expand.go, without the $$ escape). */
function expand(s: string, env: Map<string, string>): string {
  return s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => env.get(name) ?? m);
}

beforeAll(async () => {
  cluster = await startCluster();
  for (const ns of ['shop', 'monitoring', ...TEAMS]) kubectl(['create', 'namespace', ns]);
  await until('default service accounts', () => kubectl(['get', 'sa', '-A', '-o', 'name']).stdout.split('\n').filter((l) => l === 'serviceaccount/default').length >= 4 + 2 + TEAMS.length);
  // The shop's policy/v1beta1 PodDisruptionBudget is refused (removed in 1.25), and so is its
  // invalid NetworkPolicy (an ipBlock beside a podSelector in one peer) and its webhook
  // configuration (sideEffects Unknown is not v1); the rest applies.
  try {
    kubectl(['apply', '--server-side', '-f', join(ROOT, 'examples/insecure-shop')]);
  } catch (e) {
    const errors = String((e as { stderr?: string }).stderr).split('\n').filter((l) => /^(error:|Error from server|resource mapping not found)/.test(l));
    expect(errors).toHaveLength(3);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/no matches for kind "PodDisruptionBudget" in version "policy\/v1beta1"/),
      expect.stringMatching(/NetworkPolicy.*"postgres".*may not specify both ipBlock and another peer/),
      expect.stringMatching(/ValidatingWebhookConfiguration.*"saas-policy".*sideEffects/),
    ]));
  }
  for (const ns of TEAMS) kubectl(['run', 'app', '-n', ns, '--image=registry.example/app:1.0', '--restart=Never']);
  await until('pods of the shop', () => kubectl(['get', 'pods', '-n', 'shop', '-o', 'name']).stdout.trim().split('\n').length >= 3);

  const gen = await cli(['generate', 'in-cluster']);
  expect(gen.code).toBe(0);
  manifests = gen.stdout;
  // The cluster starts without the PolicyReport CRDs: the scanner installs them.
  expect((await cluster.request('GET', `${CRDS}/policyreports.wgpolicyk8s.io`)).status).toBe(404);
  applyStderr = kubectlWithWarnings(['apply', '--server-side', '-f', '-'], manifests);
  scanner = await serviceAccountKubeconfig(NS, SA);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('the generated manifests', () => {
  it('apply cleanly, with no Pod Security warning, into a namespace that enforces restricted', async () => {
    expect(applyStderr).not.toMatch(/warning|violate|error/i);
    const ns = await ok('GET', `/api/v1/namespaces/${NS}`);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // A server-side dry run of the CronJob, and of a pod made from its template (PodSecurity
    // enforces on pods; on workloads it only warns): both admitted without a warning.
    const cron = parseAllDocuments(manifests).map((d) => d.toJS()).find((o) => o.kind === 'CronJob');
    const dry = kubectlWithWarnings(['create', '--dry-run=server', '-f', '-'], JSON.stringify({ ...cron, metadata: { ...cron.metadata, name: 'dry-run' } }));
    expect(dry).toBe('cronjob.batch/dry-run created (server dry run)\n');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'scanner', namespace: NS, ...cron.spec.jobTemplate.spec.template.metadata }, spec: cron.spec.jobTemplate.spec.template.spec };
    expect(kubectlWithWarnings(['create', '--dry-run=server', '-f', '-'], JSON.stringify(pod))).toBe('pod/scanner created (server dry run)\n');
    // The control: the same pod without its hardening is refused there, so the check is real.
    const weak = structuredClone(pod);
    delete weak.spec.securityContext;
    const refused = await cluster.request('POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, weak);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('violates PodSecurity "restricted:latest"');
  });
});

describe('scan --cluster --write-reports with the generated ServiceAccount', () => {
  let first: CliRun & { doc: ResultsDocument };

  it('installs the CRDs, is denied nothing, and writes a report per namespace and the cluster report', async () => {
    // The CronJob's own arguments; its pod's mounted token is the kubeconfig's token here.
    const cron = parseAllDocuments(manifests).map((d) => d.toJS()).find((o) => o.kind === 'CronJob');
    const asCronJob = await cli([...cron.spec.jobTemplate.spec.template.spec.containers[0].args, '--kubeconfig', scanner]);
    expect(asCronJob.code).toBe(0);
    expect(asCronJob.stdout).toMatch(/^kubeladder scan: \d+ objects from .*\n\nRung reached: /);
    expect(asCronJob.stderr).toMatch(
      /^installed the CRDs policyreports\.wgpolicyk8s\.io, clusterpolicyreports\.wgpolicyk8s\.io\nwrote \d+ PolicyReports and the ClusterPolicyReport kubeladder-cluster to https:\/\/127\.0\.0\.1:\d+\n$/,
    );
    first = await scanAsCronJob();
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^wrote \d+ PolicyReports and the ClusterPolicyReport kubeladder-cluster to https:\/\/127\.0\.0\.1:\d+\n$/);
    // The CRDs are the scanner's: created by it, Established.
    for (const name of ['policyreports.wgpolicyk8s.io', 'clusterpolicyreports.wgpolicyk8s.io']) {
      const crd = await ok('GET', `${CRDS}/${name}`);
      expect(crd.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('kubeladder');
      expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    }
    // Not assessed only what the cluster-admin cannot assess either, and what needs Secrets
    // (opt-in with --read-secrets): the role was refused nothing.
    const secretChecks = new Set(CHECKS.filter((c) => c.needs.kinds?.includes('Secret')).map((c) => c.id));
    const admin = await cli(['scan', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '--format', 'json', '--fail-on', 'none']);
    const notAssessed = (doc: ResultsDocument) => doc.results.filter((r) => r.status === 'not-assessed' && !secretChecks.has(r.check));
    expect(notAssessed(first.doc)).toEqual(notAssessed(JSON.parse(admin.stdout) as ResultsDocument));
    // No 403 anywhere (Pod Security messages speak of "forbidden sysctls" and the like: those are findings).
    expect(JSON.stringify(first.doc.results)).not.toMatch(/forbidden:|is forbidden|\b403\b/i);
    expect(first.stderr).not.toMatch(/forbidden/i);
    // The reports are exactly what the cluster-admin's own scan reports, summaries included.
    const stored = await policyReports();
    const expected = await expectedReports();
    expect(stored.map(content)).toEqual(expected.filter((r) => r.kind === 'PolicyReport').map(content));
    // The cluster report too, but for what installing the CRDs after reading added (their CRD and
    // APIService objects, which checks judge).
    const clusterReport = await ok<PolicyReportObject>('GET', `${REPORTS}/clusterpolicyreports/kubeladder-cluster`);
    const notCrd = (r: PolicyReportObject) => ({ ...content(r), summary: undefined, results: r.results.filter((x) => !JSON.stringify(x.resources ?? []).includes('wgpolicyk8s.io')) });
    expect(notCrd(clusterReport)).toEqual(notCrd(expected.find((r) => r.kind === 'ClusterPolicyReport')!));
    // Every namespace has its report, the shop's failures in it.
    expect(stored.map((r) => r.metadata.namespace)).toEqual(expect.arrayContaining(['default', 'kube-system', NS, 'shop', 'monitoring', ...TEAMS]));
    const shop = stored.find((r) => r.metadata.namespace === 'shop')!;
    const failed = (ns: string) => first.doc.results.filter((r) => r.status === 'fail' && (r.object?.namespace ?? (r.object?.kind === 'Namespace' ? r.object.name : undefined)) === ns);
    expect(shop.summary.fail).toBe(failed('shop').length);
    expect(shop.summary.fail).toBeGreaterThan(3);
    expect(shop.results.filter((x) => x.result === 'fail').map((x) => `${x.policy} ${(x.resources as Array<{ kind: string; name: string }>)[0]!.kind}/${(x.resources as Array<{ name: string }>)[0]!.name}`)).toEqual(
      expect.arrayContaining(['image/latest-tag Deployment/frontend', 'pod/automount-service-account-token Deployment/frontend', 'netpol/namespace-default-deny Namespace/shop']),
    );
    for (const r of stored) expect(r.summary.fail + r.summary.pass + r.summary.skip).toBe(r.results.length);
    // Its own namespace: default deny passes, and the token it needs is exempt, with the reason.
    const own = stored.find((r) => r.metadata.namespace === NS)!;
    expect(own.summary.fail).toBe(0);
    expect(own.results.find((x) => x.policy === 'pod/automount-service-account-token')).toMatchObject({ result: 'skip', properties: { status: 'exempt', reason: expect.stringContaining('the scanner calls the Kubernetes API') } });
  });

  it('updates its reports on the next run instead of adding any, and deletes only its own stale ones', async () => {
    const before = await policyReports();
    const shopUid = before.find((r) => r.metadata.namespace === 'shop')!.metadata as { uid?: string };
    // A fix in the shop; a stale report of kubeladder's (an old name) and another tool's report.
    kubectl(['set', 'image', '-n', 'shop', 'deployment/frontend', 'frontend=registry.example.com/shop/frontend:2.4.1']);
    const report = (name: string, labels: Record<string, string>) => ({ apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: { name, namespace: 'shop', labels }, results: [] });
    await ok('POST', `${REPORTS}/namespaces/shop/policyreports`, report('kubeladder-old', { 'app.kubernetes.io/managed-by': 'kubeladder' }));
    await ok('POST', `${REPORTS}/namespaces/shop/policyreports`, report('other-tool', { 'app.kubernetes.io/managed-by': 'kyverno' }));
    await ok('POST', `${REPORTS}/clusterpolicyreports`, { ...report('kubeladder-stale', { 'app.kubernetes.io/managed-by': 'kubeladder' }), kind: 'ClusterPolicyReport', metadata: { name: 'kubeladder-stale', labels: { 'app.kubernetes.io/managed-by': 'kubeladder' } } });

    const second = await scanAsCronJob();
    expect(second.stderr).toMatch(/^wrote \d+ PolicyReports and the ClusterPolicyReport kubeladder-cluster to \S+; deleted 2 stale \(kubeladder-stale, shop\/kubeladder-old\)\n$/);
    const after = await policyReports();
    // Now that the CRDs were there when it read, the cluster report is the admin's exactly.
    const expected = await expectedReports();
    expect(after.filter((r) => r.metadata.labels['app.kubernetes.io/managed-by'] === 'kubeladder').map(content)).toEqual(expected.filter((r) => r.kind === 'PolicyReport').map(content));
    expect(content(await ok('GET', `${REPORTS}/clusterpolicyreports/kubeladder-cluster`))).toEqual(content(expected.find((r) => r.kind === 'ClusterPolicyReport')!));
    const mine = (rs: PolicyReportObject[]) => rs.filter((r) => r.metadata.labels['app.kubernetes.io/managed-by'] === 'kubeladder').map((r) => `${r.metadata.namespace}/${r.metadata.name}`);
    expect(mine(after)).toEqual(mine(before));
    expect(after.map((r) => r.metadata.name)).toContain('other-tool');
    const shop = after.find((r) => r.metadata.name === 'kubeladder-shop')!;
    expect((shop.metadata as { uid?: string }).uid).toBe(shopUid.uid);
    expect(shop.summary.fail).toBe(before.find((r) => r.metadata.name === 'kubeladder-shop')!.summary.fail - 1);
    expect(shop.results.some((x) => x.policy === 'image/latest-tag' && x.result === 'fail' && JSON.stringify(x.resources).includes('"frontend"'))).toBe(false);
    expect((await cluster.request('GET', `${REPORTS}/clusterpolicyreports/kubeladder-stale`)).status).toBe(404);

    // Namespaces that no longer have results lose their report: here, by scanning one check only.
    const narrow = await scanAsCronJob(['--check', 'pod/privileged', '--show-passed', '--show-exempt']);
    const left = mine(await policyReports());
    const withResults = [...new Set(narrow.doc.results.map((r) => r.object?.namespace).filter(Boolean))];
    expect(left.length).toBeLessThan(mine(after).length);
    expect(left.every((k) => withResults.includes(k.split('/')[0]))).toBe(true);
    // Back to the full picture.
    await scanAsCronJob();
    expect(mine(await policyReports())).toEqual(mine(after));
  });

  it('with --shard i/3 three runs cover every namespace exactly once, the same as one run', async () => {
    const all = await scanAsCronJob(['--show-passed', '--show-exempt']);
    const whole = await policyReports();
    const namespaces = new Set(whole.map((r) => r.metadata.namespace!));
    for (const i of [0, 1, 2]) expect([...namespaces].some((ns) => shardOf(ns, 3) === i), `shard ${i} owns a namespace`).toBe(true);
    const runs = [];
    for (const i of [0, 1, 2]) runs.push(await scanAsCronJob(['--shard', `${i}/3`, '--show-passed', '--show-exempt']));
    const home = (r: ResultsDocument['results'][number]) => r.object?.namespace ?? (r.object?.kind === 'Namespace' ? r.object.name : undefined);
    const key = (r: ResultsDocument['results'][number]) => JSON.stringify([r.check, r.status, r.object, r.path]);
    const covered = runs.map((run) => new Set(run.doc.results.map(home).filter((ns): ns is string => ns !== undefined)));
    for (const [i, set] of covered.entries()) for (const ns of set) expect(shardOf(ns, 3), ns).toBe(i);
    // Disjoint, and together every namespace: each exactly once.
    const union = covered.flatMap((s) => [...s]).sort();
    expect(union).toEqual([...namespaces].sort());
    // The same results as the unsharded run; cluster-scoped ones and facts only in shard 0.
    const assessed = (rs: ResultsDocument['results']) => rs.filter((r) => r.status !== 'not-assessed').map(key).sort();
    expect(assessed(runs.flatMap((r) => r.doc.results))).toEqual(assessed(all.doc.results));
    for (const run of runs.slice(1)) expect(run.doc.results.filter((r) => home(r) === undefined && r.status !== 'not-assessed')).toEqual([]);
    expect(runs[0]!.stderr).toContain('and the ClusterPolicyReport kubeladder-cluster');
    expect(runs[1]!.stderr).not.toContain('ClusterPolicyReport');
    // Both ways of reading a shard read the same objects (the choice between them is cost only).
    const client = await connect({ kubeconfig: scanner });
    const kinds = neededKinds(CHECKS);
    const uids = (snap: { objects: Array<{ metadata?: { uid?: string } }> }) => snap.objects.map((o) => o.metadata?.uid).sort();
    for (const index of [0, 1, 2]) {
      const shard = { index, count: 3 };
      const [each, filtered] = [await listCluster(client, { kinds, shard, strategy: 'per-namespace' }), await listCluster(client, { kinds, shard, strategy: 'filter' })];
      expect(uids(each)).toEqual(uids(filtered));
      expect(each.unreadable).toEqual({});
    }
    // No shard deleted another's reports: the stored reports are those of the unsharded run.
    for (const run of runs) expect(run.stderr).not.toContain('stale');
    expect((await policyReports()).map(content)).toEqual(whole.map(content));
  });

  it('says in one line that it may not write, and keeps the scan exit code', async () => {
    // The generated read rules without the right to write reports or read the CRDs.
    const role = parseAllDocuments(manifests).map((d) => d.toJS()).find((o) => o.kind === 'ClusterRole');
    // (CRDs left out too: a check may read them, and then the role lets it get the report CRDs.)
    const readOnly = { ...role, metadata: { name: 'reader' }, rules: role.rules.filter((r: { verbs: string[]; apiGroups: string[] }) => r.verbs.join() === 'get,list' && !r.apiGroups.includes('wgpolicyk8s.io') && !r.apiGroups.includes('apiextensions.k8s.io')) };
    kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(readOnly));
    kubectl(['create', 'clusterrolebinding', 'reader', '--clusterrole=reader', '--user=reader']);
    const reader = cluster.kubeconfigFor('reader');
    const before = (await policyReports()).map(content);
    const r = await scanAsCronJob([], reader);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^kubeladder: cannot write PolicyReports: cannot read the CRD policyreports\.wgpolicyk8s\.io: forbidden: .*"reader" cannot get resource "customresourcedefinitions"[^\n]*\n$/);
    // The exit code is the scan's: findings at or above --fail-on still give 1.
    const failing = await cli(['scan', '--cluster', '--kubeconfig', reader, '--write-reports', '--format', 'json']);
    expect(failing.code).toBe(1);
    expect(failing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    // May read the CRDs but not write reports: one line too, naming the first refusal.
    kubectl(['create', 'clusterrole', 'crd-reader', '--verb=get', '--resource=customresourcedefinitions.apiextensions.k8s.io']);
    kubectl(['create', 'clusterrolebinding', 'reader-crds', '--clusterrole=crd-reader', '--user=reader']);
    const r2 = await until('RBAC to allow reading CRDs', async () => {
      const run = await scanAsCronJob([], reader);
      return run.stderr.includes('cannot read the CRD') ? undefined : run;
    });
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/^kubeladder: could not write every PolicyReport: \S+: forbidden: .*"reader" cannot patch resource "(cluster)?policyreports".* \(and \d+ more\)\n$/);
    expect((await policyReports()).map(content)).toEqual(before);
  });
});

describe('the sharded CronJob', () => {
  it('makes an Indexed Job whose pods are admitted and each get their own --shard i/3', async () => {
    const gen = await cli(['generate', 'in-cluster', '--shards', '3', '--namespace', 'kubeladder-sharded']);
    const out = kubectlWithWarnings(['apply', '--server-side', '-f', '-'], gen.stdout);
    expect(out).not.toMatch(/warning|error/i);
    const cron = parseAllDocuments(gen.stdout).map((d) => d.toJS()).find((o) => o.kind === 'CronJob');
    // What the CronJob controller does at the scheduled time: a Job from the template.
    await ok('POST', '/apis/batch/v1/namespaces/kubeladder-sharded/jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'scan-now' }, spec: cron.spec.jobTemplate.spec });
    const pods = await until('the Job controller to create 3 pods', async () => {
      const list = await ok('GET', '/api/v1/namespaces/kubeladder-sharded/pods?labelSelector=job-name%3Dscan-now');
      return list.items.length === 3 ? list.items : undefined;
    });
    const shards = pods.map((pod: any) => {
      const c = pod.spec.containers[0];
      // The controller kept our JOB_COMPLETION_INDEX (before KUBELADDER_SHARD), adding no copy.
      expect(c.env.map((e: { name: string }) => e.name)).toEqual(['JOB_COMPLETION_INDEX', 'KUBELADDER_SHARD']);
      // The kubelet's expansion, from the pod as stored: the fieldRef, then $(VAR) in order.
      const env = new Map<string, string>();
      env.set('JOB_COMPLETION_INDEX', pod.metadata.annotations['batch.kubernetes.io/job-completion-index']);
      env.set('KUBELADDER_SHARD', expand(c.env[1].value, env));
      const args = (c.args as string[]).map((a) => expand(a, env));
      expect(args.slice(0, -2)).toEqual(['scan', '--cluster', '--write-reports', '--fail-on', 'none']);
      expect(args.at(-2)).toBe('--shard');
      return parseShard(args.at(-1)!);
    });
    expect(shards.sort((a: { index: number }, b: { index: number }) => a.index - b.index)).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
  });
});

