/**
 * `rbac can-i --cluster` answers as `kubectl auth can-i --as` does on the same real API server,
 * and a snapshot answers the same offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
const dir = mkdtempSync(join(tmpdir(), 'kl-rbac-cli-'));
const RBAC = 'rbac.authorization.k8s.io';

beforeAll(async () => {
  cluster = await startCluster();
  const post = async (path: string, body: unknown) => expect((await cluster.request('POST', path, body)).status).toBe(201);
  await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  await post(`/apis/${RBAC}/v1/namespaces/shop/roles`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'Role',
    metadata: { name: 'logs', namespace: 'shop' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update'], resourceNames: ['web'] },
    ],
  });
  await post(`/apis/${RBAC}/v1/namespaces/shop/rolebindings`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'logs', namespace: 'shop' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'logs' },
    subjects: [{ kind: 'ServiceAccount', name: 'api' }, { kind: 'Group', apiGroup: RBAC, name: 'oncall' }],
  });
  await post(`/apis/${RBAC}/v1/namespaces/shop/rolebindings`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'auditors', namespace: 'shop' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', apiGroup: RBAC, name: 'auditor' }],
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

/** kubectl's answer: its stdout and exit code (1 for "no"). */
function kubectl(args: string[]): { out: string; code: number } {
  const r = spawnSync('kubectl', ['--kubeconfig', cluster.adminKubeconfig, 'auth', 'can-i', ...args], { encoding: 'utf8' });
  return { out: r.stdout, code: r.status ?? -1 };
}

const QUESTIONS: string[][] = [
  ['get', 'pods', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'],
  ['get', 'pods/log', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'],
  ['get', 'pods', '--subresource', 'log', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'],
  ['create', 'pods', '--subresource', 'exec', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'],
  ['get', 'pods', '--as', 'system:serviceaccount:shop:api', '-n', 'default'],
  ['list', 'pods', '--as', 'system:serviceaccount:shop:api', '-A'],
  ['update', 'deployments.apps/web', '--subresource', 'scale', '--as', 'alice', '--as-group', 'oncall', '-n', 'shop'],
  ['update', 'deployments.apps/api', '--subresource', 'scale', '--as', 'alice', '--as-group', 'oncall', '-n', 'shop'],
  ['list', 'deployments.apps', '--as', 'auditor', '-n', 'shop'],
  ['get', 'secrets', '--as', 'auditor', '-n', 'shop'],
  ['create', 'selfsubjectaccessreviews.authorization.k8s.io', '--as', 'anyone'],
  ['get', '/metrics', '--as', 'anyone'],
  ['get', '/api', '--as', 'anyone'],
  ['delete', 'nodes', '--as', 'root', '--as-group', 'system:masters'],
  ['get', 'serviceaccounts', '--as', 'system:serviceaccount:shop:api', '--as-group', 'system:serviceaccounts', '-n', 'shop'],
];

describe('rbac can-i against the real API server', () => {
  it('answers every question as kubectl auth can-i --as does, live and from a snapshot', async () => {
    const snap = join(dir, 'cluster.snap');
    expect((await cli(['snapshot', '--cluster', '--kubeconfig', cluster.adminKubeconfig, '-o', snap])).code).toBe(0);
    for (const q of QUESTIONS) {
      const want = kubectl(q);
      expect([0, 1], `${q.join(' ')}: kubectl ${JSON.stringify(want)}`).toContain(want.code);
      const live = await cli(['rbac', 'can-i', ...q, '--cluster', '--kubeconfig', cluster.adminKubeconfig]);
      expect({ q: q.join(' '), out: live.stdout, code: live.code }).toEqual({ q: q.join(' '), out: want.out, code: want.code });
      const offline = await cli(['rbac', 'can-i', ...q, '--snapshot', snap]);
      expect({ q: q.join(' '), out: offline.stdout, code: offline.code }).toEqual({ q: q.join(' '), out: want.out, code: want.code });
    }
    // kubectl cannot ask for system:anonymous (who may not create the SelfSubjectAccessReview it
    // sends): ask the SubjectAccessReview API as the admin instead, with impersonation's group.
    const sar = async (attrs: Record<string, unknown>) =>
      (await cluster.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'system:anonymous', groups: ['system:unauthenticated'], ...attrs } })).body.status.allowed as boolean;
    for (const [q, attrs] of [
      [['create', 'selfsubjectaccessreviews.authorization.k8s.io'], { resourceAttributes: { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' } }],
      [['get', '/healthz'], { nonResourceAttributes: { verb: 'get', path: '/healthz' } }],
      [['get', '/metrics'], { nonResourceAttributes: { verb: 'get', path: '/metrics' } }],
    ] as const) {
      const want = (await sar(attrs)) ? 'yes\n' : 'no\n';
      const ours = await cli(['rbac', 'can-i', ...q, '--as', 'system:anonymous', '--cluster', '--kubeconfig', cluster.adminKubeconfig]);
      expect(`${q.join(' ')}: ${ours.stdout}`).toBe(`${q.join(' ')}: ${want}`);
    }
    // Both kinds of answer are among them.
    expect(QUESTIONS.map((q) => kubectl(q).code)).toEqual(expect.arrayContaining([0, 1]));
    expect(execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8' })).toContain('Client Version');
  });
});
