import { defineCheck } from '../../core/check.js';
import { RBAC_GROUP } from '../../engines/rbac/index.js';
import { isBuiltIn } from '../../engines/rbac/inventory-model.js';

/** Subjects that stand for everyone who can reach the API server, or everyone with any credential. */
const PUBLIC: ReadonlyArray<{ kind: string; name: string; who: string }> = [
  { kind: 'User', name: 'system:anonymous', who: 'every unauthenticated request' },
  { kind: 'Group', name: 'system:anonymous', who: 'every unauthenticated request' },
  { kind: 'Group', name: 'system:unauthenticated', who: 'every unauthenticated request' },
  { kind: 'Group', name: 'system:authenticated', who: 'every authenticated user and service account' },
];

export default defineCheck({
  id: 'rbac/public-group-binding',
  rung: 2,
  severity: 'critical',
  title: 'Binding to anonymous or all authenticated users',
  rationale:
    'A binding to `system:anonymous` or `system:unauthenticated` grants its role to anyone who can reach the API server, with no credential at all; one to `system:authenticated` grants it to every user and every service account token in the cluster (and, on some managed clusters, to any account of the cloud provider). Whatever the role allows is effectively public.',
  remediation: 'Bind the role to the users, groups or service accounts that need it, never to system:anonymous, system:unauthenticated or system:authenticated.',
  references: [
    { title: 'Kubernetes: RBAC good practices', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege' },
    { title: 'Kubernetes: anonymous requests', url: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests' },
  ],
  needs: { kinds: ['ClusterRoleBinding', 'RoleBinding'] },
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: status-page, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: system:unauthenticated, apiGroup: rbac.authorization.k8s.io}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: status-page, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: status-page, namespace: shop}
`,
  },
  // The API server's own bootstrap bindings (discovery, basic-user) are public on purpose.
  appliesTo: (r) => r.group === RBAC_GROUP && !isBuiltIn(r),
  evaluate: (r) => {
    const raw: unknown[] = Array.isArray(r.obj.subjects) ? r.obj.subjects : [];
    const roleRef = r.obj.roleRef as { kind?: unknown; name?: unknown } | undefined;
    const role = `${String(roleRef?.kind)} ${String(roleRef?.name)}`;
    const scope = r.kind === 'RoleBinding' ? ` in namespace ${r.namespace ?? '?'}` : '';
    return raw.flatMap((s, i) => {
      if (typeof s !== 'object' || s === null) return [];
      const { kind, name } = s as { kind?: unknown; name?: unknown };
      const hit = PUBLIC.find((p) => p.kind === kind && p.name === name);
      if (!hit) return [];
      return [
        {
          path: `subjects[${i}]`,
          message: `${r.display} grants ${role}${scope} to ${hit.kind} ${hit.name}: ${hit.who}`,
          remediation: `Replace ${hit.kind} ${hit.name} in ${r.display} with the subjects that need ${role}.`,
        },
      ];
    });
  },
});
