/**
 * Live scans against a real API server: the same findings as the manifest scan, reported on
 * the objects people write; a snapshot scans to the same results; 403s are "not assessed";
 * a dead server is exit 3; Secret data never reaches kubeladder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import type { Result } from '../../src/core/types.js';
import { connect } from '../../src/sources/cluster/client.js';
import { listCluster } from '../../src/sources/cluster/read.js';
import { CHECKS } from '../../src/checks/index.js';
import { neededKinds } from '../../src/cli/cluster.js';
import { resourceType } from '../../src/engines/kinds.js';
import { cli, ROOT } from '../helpers/cli.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
const work = mkdtempSync(join(tmpdir(), 'kl-live-'));
const SECRET_VALUE = 'hunter2-do-not-print';

function kubectl(args: string[], kubeconfig = cluster.adminKubeconfig, input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function until(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function scanJson(args: string[]): Promise<{ code: number; doc: ResultsDocument; stderr: string }> {
  const r = await cli(['scan', ...args, '--format', 'json', '--fail-on', 'none']);
  if (!r.stdout) throw new Error(`no output (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, doc: JSON.parse(r.stdout) as ResultsDocument, stderr: r.stderr };
}

/** What a finding is about, without the file and line a live object lacks. */
function key(r: Result): string {
  return `${r.check} ${r.object?.kind} ${r.object?.namespace ?? ''}/${r.object?.name} ${r.path ?? ''}`;
}

beforeAll(async () => {
  cluster = await startCluster();
  for (const ns of ['shop', 'monitoring']) {
    kubectl(['create', 'namespace', ns]);
  }
  await until('default service accounts', () => kubectl(['get', 'sa', '-A', '-o', 'name']).split('\n').filter((l) => l === 'serviceaccount/default').length >= 6);
  // The shop's policy/v1beta1 PodDisruptionBudget is refused (removed in 1.25), and so is its
  // invalid NetworkPolicy (an ipBlock beside a podSelector in one peer) and its webhook
  // configuration (sideEffects Unknown is not v1); the rest applies.
  try {
    kubectl(['apply', '--server-side', '-f', join(ROOT, 'examples/insecure-shop')]);
    throw new Error('the removed policy/v1beta1 PodDisruptionBudget was accepted');
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? e);
    const errors = stderr.split('\n').filter((l) => /^(error:|Error from server|resource mapping not found)/.test(l));
    expect(errors).toHaveLength(3);
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/no matches for kind "PodDisruptionBudget" in version "policy\/v1beta1"/),
      expect.stringMatching(/NetworkPolicy.*"postgres".*may not specify both ipBlock and another peer/),
      expect.stringMatching(/ValidatingWebhookConfiguration.*"saas-policy".*sideEffects/),
    ]));
  }
  writeFileSync(join(work, 'secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata: {name: api-keys, namespace: shop}\nstringData: {token: ${SECRET_VALUE}}\n`);
  // Client-side apply keeps the whole Secret in the last-applied-configuration annotation.
  kubectl(['apply', '-f', join(work, 'secret.yaml')]);
  // The controller manager makes ReplicaSets and Pods from the Deployments.
  await until('pods of the shop', () => kubectl(['get', 'pods', '-n', 'shop', '-o', 'name']).trim().split('\n').length >= 3);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('scan --cluster', () => {
  it('finds what the manifest scan finds, on the same objects and fields', async () => {
    const live = await scanJson(['--cluster', '--kubeconfig', cluster.adminKubeconfig]);
    const files = await scanJson([join(ROOT, 'examples/insecure-shop')]);
    const shop = (doc: ResultsDocument): string[] =>
      doc.results.filter((r) => r.status === 'fail' && ['shop', 'monitoring'].includes(r.object?.namespace ?? r.object?.name ?? '')).map(key).sort();
    // The differences the cluster itself makes: the PodDisruptionBudget in a removed API version
    // never reached it; it keeps serviceAccount equal to serviceAccountName on every pod spec (so
    // the deprecated field says nothing there); and it creates a default ServiceAccount in every
    // namespace, which mounts its token (the shop's manifests define theirs; monitoring's do not).
    // A finding about the account points at the field that names it: serviceAccountName, live.
    const onlyInFiles = [
      'api/removed-version PodDisruptionBudget shop/postgres apiVersion',
      'pod/deprecated-service-account-field Deployment shop/api spec.template.spec.serviceAccount',
      'rbac/pod-blast-radius Deployment shop/api spec.template.spec.serviceAccount',
      // The API server rejected it: the live cluster has no such policy.
      'netpol/invalid-policy NetworkPolicy shop/postgres spec.ingress[0].from[0]',
    ];
    const onlyLive = ['serviceaccount/automount-token ServiceAccount monitoring/default ', 'rbac/pod-blast-radius Deployment shop/api spec.template.spec.serviceAccountName'];
    expect(shop(files.doc)).toEqual(expect.arrayContaining(onlyInFiles));
    expect(shop(live.doc)).toEqual(expect.arrayContaining(onlyLive));
    expect(shop(live.doc).filter((k) => !onlyLive.includes(k))).toEqual(shop(files.doc).filter((k) => !onlyInFiles.includes(k)));
    // Live objects have no file: findings point at kind/namespace/name and the field.
    expect(live.doc.results.every((r) => r.file === undefined && r.line === undefined)).toBe(true);
    // Pods and ReplicaSets the Deployments control are judged through their Deployment.
    // (The shop's bare Pods, its smoke test and its API server's static pod, are judged themselves.)
    const bare = ['shop/smoke-test', 'kube-system/kube-apiserver'];
    expect(live.doc.results.some((r) => (r.object?.kind === 'Pod' && !bare.includes(`${r.object.namespace}/${r.object.name}`)) || r.object?.kind === 'ReplicaSet')).toBe(false);
    expect(live.doc.results.find((r) => r.check === 'admission/apiserver-admission-plugins')?.status).toBe('fail');
    // The cluster's own namespaces are there too: default fails, kube-system is exempt.
    expect(live.doc.results.find((r) => r.check === 'netpol/namespace-default-deny' && r.object?.name === 'default')?.status).toBe('fail');
    expect(live.stderr).toBe('');
  });

  it('checks the kubelets the Node objects report against the API server version', async () => {
    for (const [name, kubelet] of [['old-worker', 'v1.33.9'], ['lagging-worker', 'v1.36.5'], ['current-worker', 'v1.37.2']] as const) {
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name } };
      const created = await cluster.request('POST', '/api/v1/nodes', node);
      expect(created.status).toBe(201);
      // Status is the kubelet's to write: set it through the status subresource, as a kubelet does.
      const status = { status: { nodeInfo: { kubeletVersion: kubelet, kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://2.1.0', kernelVersion: '6.1.0', osImage: 'Debian', machineID: 'm', systemUUID: 'u', bootID: 'b' } } };
      const patched = await cluster.request('PATCH', `/api/v1/nodes/${name}/status`, status, { contentType: 'application/merge-patch+json' });
      expect(patched.status, patched.text).toBe(200);
    }
    const { doc } = await scanJson(['--cluster', '--kubeconfig', cluster.adminKubeconfig, '--check', 'cluster/kubelet-version-skew', '--check', 'cluster/kubelet-version-behind']);
    expect(doc.results.map((r) => `${r.check} ${r.object?.name}`).sort()).toEqual([
      'cluster/kubelet-version-behind lagging-worker',
      'cluster/kubelet-version-behind old-worker',
      'cluster/kubelet-version-skew old-worker',
    ]);
    expect(doc.results.find((r) => r.check === 'cluster/kubelet-version-skew')!.message).toBe(`kubelet v1.33.9 is 4 minor releases behind the API server ${cluster.version}; at most 3 are supported`);
  });

  it("reads the API server's deprecated-API gauge: a client that calls a deprecated version is found", async () => {
    // v1 ComponentStatus is deprecated and still served: asking for it sets the gauge.
    expect((await cluster.request('GET', '/api/v1/componentstatuses')).status).toBe(200);
    const { doc } = await scanJson(['--cluster', '--kubeconfig', cluster.adminKubeconfig, '--check', 'api/deprecated-api-requests']);
    expect(doc.checks[0]!.counts['not-assessed']).toBe(0);
    expect(doc.results.map((r) => r.message)).toContainEqual(expect.stringMatching(/deprecated v1 componentstatuses/));
  });

  it('scans only the namespaces named with -n', async () => {
    const { doc } = await scanJson(['--cluster', '--kubeconfig', cluster.adminKubeconfig, '-n', 'monitoring']);
    // Cluster-scoped objects (Nodes) and facts about the whole cluster have no namespace.
    const namespaced = doc.results.filter((r) => r.object?.kind === 'Namespace' || r.object?.namespace !== undefined);
    const namespaces = new Set(namespaced.map((r) => (r.object?.kind === 'Namespace' ? r.object.name : r.object?.namespace)));
    expect([...namespaces]).toEqual(['monitoring']);
  });

  it('marks the checks whose kinds the credentials may not list as not assessed, in every format', async () => {
    // A viewer that may list everything but NetworkPolicies.
    const everythingButPolicies = neededKinds(CHECKS)
      .filter((k) => k !== 'NetworkPolicy')
      .map(resourceType)
      // Custom resources whose CRDs this cluster lacks: kubectl refuses to name them in a role.
      .filter((t) => t !== undefined && !t.crd)
      .map((t) => (t.group ? `${t.resource}.${t.group}` : t.resource));
    kubectl(['create', 'clusterrole', 'most-things', '--verb=get,list', `--resource=${everythingButPolicies.join(',')}`]);
    kubectl(['create', 'clusterrolebinding', 'viewer-most', '--clusterrole=most-things', '--user=viewer']);
    const viewer = cluster.kubeconfigFor('viewer');
    const { code, doc } = await scanJson(['--cluster', '--kubeconfig', viewer]);
    expect(code).toBe(0);
    const na = doc.results.filter((r) => r.status === 'not-assessed');
    // The NetworkPolicy checks need policies to judge anything; the API-version checks judge
    // NetworkPolicies among other kinds, so only that part of them is not assessed. The mesh
    // check also reads the custom resources of meshes (not in this role): not assessed either.
    const netpolChecks = CHECKS.filter((c) => c.id.startsWith('netpol/')).map((c) => c.id);
    expect(netpolChecks.length).toBeGreaterThan(5);
    expect(na.map((r) => r.check).sort()).toEqual(['api/deprecated-api-requests', 'api/deprecated-version', 'api/removed-version', 'mesh/mutual-tls', ...netpolChecks].sort());
    for (const r of na.filter((x) => !['api/deprecated-api-requests', 'mesh/mutual-tls', 'netpol/apiserver-reachable'].includes(x.check))) expect(r.reason, r.check).toMatch(/^could not read NetworkPolicy: forbidden: /);
    // The test API server listens on loopback, which it does not publish as the kubernetes Service's endpoint.
    expect(na.find((x) => x.check === 'netpol/apiserver-reachable')!.reason).toMatch(/^could not read NetworkPolicy: forbidden: |needs the API server's endpoint addresses/);
    expect(na.find((x) => x.check === 'mesh/mutual-tls')!.reason).toMatch(/^could not read (PeerAuthentication|CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy): forbidden: /);
    // The viewer may not GET /metrics either.
    expect(na.find((x) => x.check === 'api/deprecated-api-requests')!.reason).toMatch(/\/metrics/);
    expect(doc.checks.find((c) => c.id === 'api/removed-version')!.counts.pass).toBeGreaterThan(0);
    expect(doc.ladder.rungs[1]!.status).toBe('failed');
    expect(doc.results.some((r) => r.check === 'pod/privileged' && r.status === 'fail')).toBe(true);
    const text = await cli(['scan', '--cluster', '--kubeconfig', viewer, '--fail-on', 'none']);
    expect(text.stdout).toMatch(/Not assessed\n(?: {2}.*\n)* {2}netpol\/namespace-default-deny: could not read NetworkPolicy: forbidden/);
    const sarif = JSON.parse((await cli(['scan', '--cluster', '--kubeconfig', viewer, '--format', 'sarif', '--fail-on', 'none'])).stdout);
    expect(JSON.stringify(sarif)).toContain('could not read NetworkPolicy');
  });

  it('exits 3 with a clear message when the API server cannot be reached, after bounded retries', async () => {
    const dead = readFileSync(cluster.adminKubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9');
    writeFileSync(join(work, 'dead.kubeconfig'), dead);
    const t0 = Date.now();
    const r = await cli(['scan', '--cluster', '--kubeconfig', join(work, 'dead.kubeconfig')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^kubeladder: cannot reach the API server at https:\/\/127\.0\.0\.1:9 \(.*ECONNREFUSED, after 3 attempts\)\n$/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const none = await cli(['scan', '--cluster', '--kubeconfig', join(work, 'missing.kubeconfig')]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('cannot load the kubeconfig');
  });
});

describe('network, live', () => {
  it('netpol reach --cluster lists the connections the manifests give, from the objects the API server keeps', async () => {
    const live = await cli(['netpol', 'reach', '--cluster', '--kubeconfig', cluster.adminKubeconfig]);
    const files = await cli(['netpol', 'reach', join(ROOT, 'examples/insecure-shop')]);
    expect(live.code).toBe(0);
    expect(files.code).toBe(0);
    const shop = (out: string) => out.split('\n').filter((l) => /(^| )(shop|monitoring)\//.test(l));
    expect(shop(live.stdout).length).toBeGreaterThan(10);
    // The same lines: Deployments judged through their pod templates (not their ReplicaSets and
    // Pods), the policy the API server rejected absent from both (the engine leaves it out).
    expect(shop(live.stdout)).toEqual(shop(files.stdout));
    expect(files.stderr).toMatch(/NetworkPolicy shop\/postgres is invalid and left out/);
    expect(live.stderr).not.toMatch(/postgres/);
  });

  it('finds no network plugin on a cluster without one, and says NetworkPolicies may be decoration', async () => {
    const { doc } = await scanJson(['--cluster', '--kubeconfig', cluster.adminKubeconfig, '--check', 'cluster/cni-network-policy']);
    const [r] = doc.results.filter((x) => x.check === 'cluster/cni-network-policy');
    expect(r).toMatchObject({ status: 'fail', object: { kind: 'Namespace', name: 'kube-system' } });
    expect(r!.message).toMatch(/not recognised/);
  });
});

describe('snapshot', () => {
  it('scans offline to the same results as the live scan', async () => {
    const file = join(work, 'cluster.snap');
    const w = await cli(['snapshot', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '-o', file]);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/^wrote .*cluster\.snap: \d+ objects\n$/);
    const live = await scanJson(['--cluster', '--kubeconfig', cluster.adminKubeconfig, '--show-passed', '--show-exempt']);
    const offline = await scanJson(['--snapshot', file, '--show-passed', '--show-exempt']);
    expect(offline.doc.results).toEqual(live.doc.results);
    expect(offline.doc.checks).toEqual(live.doc.checks);
    expect(offline.doc.ladder).toEqual(live.doc.ladder);
  });

  it('never holds Secret data, not even the copy in last-applied-configuration', async () => {
    // No check reads Secrets yet, so neither scan nor snapshot lists them; the reader must
    // still ask for metadata only whenever one does.
    const client = await connect({ kubeconfig: cluster.adminKubeconfig });
    const snap = await listCluster(client, { kinds: ['Secret'], namespaces: ['shop'] });
    const text = JSON.stringify(snap);
    expect(snap.objects.map((o) => o.metadata?.name)).toContain('api-keys');
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    // The live cluster does hold it, in data and in the annotation, so the test is real.
    const stored = kubectl(['get', 'secret', 'api-keys', '-n', 'shop', '-o', 'json']);
    expect(stored).toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    expect(stored).toContain(SECRET_VALUE);
    const file = join(work, 'all.snap');
    await cli(['snapshot', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '-o', file]);
    expect(gunzipSync(readFileSync(file)).toString('utf8')).not.toContain(SECRET_VALUE);
  });

  it('rejects a file that is not a snapshot', async () => {
    writeFileSync(join(work, 'junk.snap'), 'not gzip');
    const r = await cli(['scan', '--snapshot', join(work, 'junk.snap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('junk.snap: not a kubeladder snapshot');
  });
});
