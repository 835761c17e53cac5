/**
 * The live-cluster harness itself (test/helpers/cluster.ts): a real kube-apiserver,
 * kube-controller-manager and etcd, as built by scripts/install-test-cluster.sh, doing what the
 * scanner's integration tests will rely on.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { K8S_VERSION, eventually, kubeRequest, startCluster, type Cluster, type KubeResponse } from '../helpers/cluster.js';

let cluster: Cluster;
let startupMs = 0;

beforeAll(async () => {
  const t0 = Date.now();
  cluster = await startCluster();
  startupMs = Date.now() - t0;
  console.info(`test cluster ${cluster.version} at ${cluster.server} started in ${startupMs} ms (${JSON.stringify(cluster.startup)})`);
});

afterAll(async () => {
  await cluster?.stop();
});

function ok<T>(r: KubeResponse<T>, ...statuses: number[]): T {
  if (!statuses.includes(r.status)) throw new Error(`unexpected ${r.status}: ${r.text.slice(0, 500)}`);
  return r.body;
}

async function createNamespace(name: string, labels: Record<string, string> = {}): Promise<void> {
  ok(await cluster.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }), 201);
  // Pods are admitted only once the namespace's `default` ServiceAccount exists.
  await defaultServiceAccount(name);
}

function defaultServiceAccount(ns: string): Promise<any> {
  return eventually(`ServiceAccount ${ns}/default`, async () => {
    const r = await cluster.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`);
    return r.status === 200 ? r.body : undefined;
  });
}

const privilegedPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'privileged' },
  spec: { containers: [{ name: 'c', image: 'registry.example/app:1', securityContext: { privileged: true } }] },
};

/** Whether a process has a TCP socket listening, and on which addresses (from /proc). */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      /* closed meanwhile */
    }
  }
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== '0A' || !inodes.has(f[9]!)) continue; // 0A: LISTEN
      const [hexIp, hexPort] = f[1]!.split(':') as [string, string];
      const ip =
        hexIp.length === 8
          ? hexIp.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.')
          : hexIp === '00000000000000000000000000000000'
            ? '::'
            : `ipv6:${hexIp}`;
      out.push(`${ip}:${parseInt(hexPort, 16)}`);
    }
  }
  return out;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); Node reaps its children, but check the state to be sure.
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('live cluster harness', () => {
  test('starts within the bound and serves the pinned Kubernetes release', async () => {
    expect(startupMs).toBeLessThan(90_000);
    const v = ok(await cluster.request('GET', '/version'), 200) as any;
    expect(v.gitVersion).toBe(K8S_VERSION);
    expect(cluster.version).toBe(K8S_VERSION);
    expect(`v${v.major}.${v.minor}.`).toBe(K8S_VERSION.replace(/\.\d+$/, '.'));
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(cluster.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  test('every process listens on 127.0.0.1 only', () => {
    for (const [name, pid] of Object.entries(cluster.pids)) {
      const addrs = listeningAddresses(pid);
      expect(addrs.length, `${name} listens somewhere`).toBeGreaterThan(0);
      for (const a of addrs) expect(a, `${name} listens on ${a}`).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    const apiPort = Number(new URL(cluster.server).port);
    expect(listeningAddresses(cluster.pids.apiServer)).toContain(`127.0.0.1:${apiPort}`);
  });

  test('PodSecurity rejects a privileged pod in a restricted namespace and allows it elsewhere', async () => {
    await createNamespace('psa-restricted', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    await createNamespace('psa-unlabelled');

    const denied = await cluster.request('POST', '/api/v1/namespaces/psa-restricted/pods?dryRun=All', privilegedPod);
    expect(denied.status).toBe(403);
    expect(denied.body.reason).toBe('Forbidden');
    expect(denied.body.message).toContain('violates PodSecurity "restricted:latest"');
    expect(denied.body.message).toContain('privileged (container "c" must not set securityContext.privileged=true)');
    expect(denied.body.message).toContain('allowPrivilegeEscalation != false');

    const allowed = await cluster.request('POST', '/api/v1/namespaces/psa-unlabelled/pods?dryRun=All', privilegedPod);
    expect(allowed.status, allowed.text).toBe(201);
    expect(allowed.body.spec.containers[0].securityContext.privileged).toBe(true);
    // The ServiceAccount admission plugin ran on it too.
    expect(allowed.body.spec.serviceAccountName).toBe('default');
    // A dry run stores nothing.
    expect((await cluster.request('GET', '/api/v1/namespaces/psa-unlabelled/pods/privileged')).status).toBe(404);
  });

  test('RBAC is enforced for client-certificate users and groups', async () => {
    await createNamespace('rbac-test');
    const alice = cluster.kubeconfigFor('alice');
    expect(cluster.kubeconfigFor('alice')).toBe(alice);

    const before = await kubeRequest(alice, 'GET', '/api/v1/namespaces/rbac-test/secrets');
    expect(before.status).toBe(403);
    expect(before.body.message).toContain('User "alice" cannot list resource "secrets" in API group "" in the namespace "rbac-test"');

    ok(
      await cluster.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/rbac-test/roles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'secret-reader' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
      }),
      201,
    );
    const bind = (name: string, subject: { kind: string; name: string }) =>
      cluster.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/rbac-test/rolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', ...subject }],
      });
    ok(await bind('alice-reads-secrets', { kind: 'User', name: 'alice' }), 201);

    const after = await eventually('alice to be allowed', async () => {
      const r = await kubeRequest(alice, 'GET', '/api/v1/namespaces/rbac-test/secrets');
      return r.status === 200 ? r : undefined;
    });
    expect(after.body.kind).toBe('SecretList');
    // Only in that namespace.
    expect((await kubeRequest(alice, 'GET', '/api/v1/namespaces/default/secrets')).status).toBe(403);

    // The organisations of a client cert are its groups.
    const bob = cluster.kubeconfigFor('bob', ['auditors']);
    expect((await kubeRequest(bob, 'GET', '/api/v1/namespaces/rbac-test/secrets')).status).toBe(403);
    ok(await bind('auditors-read-secrets', { kind: 'Group', name: 'auditors' }), 201);
    await eventually('group auditors to be allowed', async () => {
      const r = await kubeRequest(bob, 'GET', '/api/v1/namespaces/rbac-test/secrets');
      return r.status === 200 ? r : undefined;
    });
    const review = ok(
      await kubeRequest(bob, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      }),
      201,
    ) as any;
    expect(review.status.userInfo.username).toBe('bob');
    expect(review.status.userInfo.groups).toEqual(expect.arrayContaining(['auditors', 'system:authenticated']));
  });

  test('the controller manager runs: default ServiceAccount, root CA ConfigMap, namespace deletion', async () => {
    ok(await cluster.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kcm-test' } }), 201);
    const sa = await defaultServiceAccount('kcm-test');
    expect(sa.metadata.namespace).toBe('kcm-test');

    // root-ca-cert-publisher, from --root-ca-file.
    const cm = await eventually('ConfigMap kcm-test/kube-root-ca.crt', async () => {
      const r = await cluster.request('GET', '/api/v1/namespaces/kcm-test/configmaps/kube-root-ca.crt');
      return r.status === 200 ? r.body : undefined;
    });
    expect(cm.data['ca.crt'].trim()).toBe(readFileSync(cluster.caFile, 'utf8').trim());

    // A token for that ServiceAccount, signed with the cluster's key, is accepted by the API server.
    const tr = ok(
      await cluster.request('POST', '/api/v1/namespaces/kcm-test/serviceaccounts/default/token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600 },
      }),
      201,
    ) as any;
    const whoami = await selfSubjectReviewWithToken(cluster, tr.status.token);
    expect(whoami.status.userInfo.username).toBe('system:serviceaccount:kcm-test:default');

    // The namespace controller empties and removes a deleted namespace.
    ok(await cluster.request('DELETE', '/api/v1/namespaces/kcm-test'), 200);
    await eventually('namespace kcm-test to be gone', async () => {
      const r = await cluster.request('GET', '/api/v1/namespaces/kcm-test');
      return r.status === 404 ? true : undefined;
    }, 40_000);
  });

  test('ClusterRole aggregation folds labelled ClusterRoles into the aggregate', async () => {
    const label = 'kubeladder.dev/aggregate-to-harness';
    ok(
      await cluster.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'harness-aggregate' },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] },
        rules: [],
      }),
      201,
    );
    ok(
      await cluster.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'harness-part', labels: { [label]: 'true' } },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }],
      }),
      201,
    );
    const rules = await eventually('the aggregated rules', async () => {
      const r = await cluster.request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/harness-aggregate');
      return r.body?.rules?.length ? r.body.rules : undefined;
    });
    expect(rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }]);
  });

  test('a second cluster started alongside is separate: own ports, own CA, own dir', async () => {
    const t0 = Date.now();
    const other = await startCluster();
    const otherMs = Date.now() - t0;
    console.info(`second test cluster started in ${otherMs} ms alongside the first`);
    try {
      expect(other.server).not.toBe(cluster.server);
      expect(other.dir).not.toBe(cluster.dir);
      const ports = (c: Cluster) => Object.values(c.pids).flatMap((pid) => listeningAddresses(pid));
      const mine = new Set(ports(cluster));
      for (const a of ports(other)) expect(mine.has(a), `${a} used by both clusters`).toBe(false);
      expect(other.version).toBe(K8S_VERSION);
      // Separate state: the namespaces made above are not there.
      expect((await other.request('GET', '/api/v1/namespaces/rbac-test')).status).toBe(404);
      // Separate CA: the first cluster's admin cert is rejected by the second (TLS verification of
      // the server fails first, since the CA differs).
      await expect(kubeRequest(cluster.adminKubeconfig, 'GET', `${other.server}/version`)).rejects.toThrow();
    } finally {
      await other.stop();
    }
    for (const pid of Object.values(other.pids)) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
  }, 150_000);

  test('stop() ends all three processes and removes the temp dir', async () => {
    const pids = Object.values(cluster.pids);
    for (const pid of pids) expect(isRunning(pid)).toBe(true);
    const t0 = Date.now();
    await cluster.stop();
    console.info(`test cluster stopped in ${Date.now() - t0} ms`);
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
    await cluster.stop(); // idempotent
  });
});

/** A request authenticated by a bearer token only (no client cert). */
function selfSubjectReviewWithToken(c: Cluster, token: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL('/apis/authentication.k8s.io/v1/selfsubjectreviews', c.server),
      {
        method: 'POST',
        ca: readFileSync(c.caFile),
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
  });
}
