import { defineCheck } from '../../core/check.js';
import { RBAC_GROUP } from '../../engines/rbac/index.js';

export default defineCheck({
  id: 'rbac/default-service-account-bound',
  rung: 2,
  severity: 'medium',
  title: "Binding to a namespace's default service account",
  rationale:
    "Every pod that names no service account runs as its namespace's `default` one: a role bound to it goes to every such pod, present and future, whether or not it needs the permissions. Permissions belong to a service account made for the workload that uses them.",
  remediation: 'Create a service account for the workload that needs the role, bind the role to it, set `serviceAccountName` in that workload, and remove `default` from the binding.',
  references: [
    { title: 'Kubernetes: configure service accounts for pods', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/' },
    { title: 'CIS Kubernetes Benchmark 5.1.5', cis: '5.1.5' },
  ],
  needs: { kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: config-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects:
  - {kind: ServiceAccount, name: default, namespace: shop}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: config-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects:
  - {kind: ServiceAccount, name: api, namespace: shop}
`,
  },
  appliesTo: (r) => r.group === RBAC_GROUP,
  evaluate: (r) => {
    const raw: unknown[] = Array.isArray(r.obj.subjects) ? r.obj.subjects : [];
    const roleRef = r.obj.roleRef as { kind?: unknown; name?: unknown } | undefined;
    const role = `${String(roleRef?.kind)} ${String(roleRef?.name)}`;
    return raw.flatMap((s, i) => {
      if (typeof s !== 'object' || s === null) return [];
      const { kind, name, namespace } = s as { kind?: unknown; name?: unknown; namespace?: unknown };
      if (kind !== 'ServiceAccount' || name !== 'default') return [];
      // A ServiceAccount subject without a namespace is the binding's own (none in a ClusterRoleBinding).
      const ns = typeof namespace === 'string' && namespace ? namespace : r.kind === 'RoleBinding' ? r.namespace : undefined;
      if (!ns) return [];
      return [
        {
          path: `subjects[${i}]`,
          message: `${r.display} grants ${role} to ServiceAccount ${ns}/default, which every pod in ${ns} without a serviceAccountName runs as`,
          remediation: `Bind ${role} to a service account of the workload that needs it instead of ${ns}/default.`,
        },
      ];
    });
  },
});
