import { defineCheck } from '../../core/check.js';
import { RBAC_GROUP } from '../../engines/rbac/index.js';

interface RawSubject {
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
}

const show = (s: RawSubject) => `${String(s.kind)} ${s.kind === 'ServiceAccount' && typeof s.namespace === 'string' && s.namespace ? `${s.namespace}/` : ''}${String(s.name)}`;

export default defineCheck({
  id: 'rbac/cluster-admin-binding',
  rung: 2,
  severity: 'critical',
  title: 'Binding to cluster-admin',
  rationale:
    'cluster-admin allows every verb on every resource: a subject bound to it cluster-wide owns the cluster, and through a RoleBinding it owns the namespace, its Secrets, its RBAC and every pod in it. Anyone who obtains that subject\'s credentials (a mounted token, a leaked kubeconfig) inherits all of it. Only the built-in `system:masters` binding needs it.',
  remediation: 'Bind a role with the permissions the subject needs (the built-in `admin`, `edit` or `view` in a namespace, or a role of its own) and delete the cluster-admin binding.',
  references: [
    { title: 'Kubernetes: RBAC good practices', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege' },
    { title: 'CIS Kubernetes Benchmark 5.1.1', cis: '5.1.1' },
  ],
  needs: { kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: api-cluster-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: api, namespace: shop}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: api-flags}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: feature-flag-reader}
subjects:
  - {kind: ServiceAccount, name: api, namespace: shop}
`,
  },
  appliesTo: (r) => r.group === RBAC_GROUP,
  evaluate: (r) => {
    const roleRef = r.obj.roleRef as { kind?: unknown; name?: unknown } | undefined;
    if (roleRef?.kind !== 'ClusterRole' || roleRef.name !== 'cluster-admin') return [];
    const raw: unknown[] = Array.isArray(r.obj.subjects) ? r.obj.subjects : [];
    const others = raw
      .map((s, i) => ({ s: (typeof s === 'object' && s !== null ? s : {}) as RawSubject, i }))
      .filter(({ s }) => !(s.kind === 'Group' && s.name === 'system:masters'));
    if (others.length === 0) return [];
    const scope = r.kind === 'RoleBinding' ? `in namespace ${r.namespace ?? '?'}` : 'cluster-wide';
    return [
      {
        path: `subjects[${others[0]!.i}]`,
        message: `${r.display} grants cluster-admin ${scope} to ${others.map(({ s }) => show(s)).join(', ')}`,
        remediation: `Bind ${others.map(({ s }) => show(s)).join(', ')} to a role with only what ${others.length === 1 ? 'it needs' : 'they need'} and delete ${r.display}.`,
      },
    ];
  },
});
