import { defineCheck, type Evaluation } from '../../core/check.js';
import { isBuiltIn, rbacModelOf, RBAC_KINDS, refDisplay } from '../../engines/rbac/inventory-model.js';

export default defineCheck({
  id: 'rbac/unused-role',
  rung: 2,
  severity: 'low',
  title: 'Role bound by nobody',
  rationale:
    "A Role or ClusterRole that no binding names (and, for a ClusterRole, that no aggregated ClusterRole picks up) grants nothing, but it is a loaded gun: the next binding that names it, perhaps by a typo or a copied manifest, hands out whatever it holds, and reviewers stop reading roles that look dead. Left-over roles also hide which permissions are really in use. With manifests, a role meant to be bound from another repository shows up here too.",
  remediation: 'Delete the role, or bind it where it is meant to be used.',
  references: [
    { title: 'Kubernetes: RBAC good practices (periodic review)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#periodic-review' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: metrics-viewer, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list"]
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: metrics-viewer, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: metrics-viewer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: metrics-viewer}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring}
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = rbacModelOf(inventory);
    // A roleRef counts whether or not the binding resolves: a binding to a Role names it.
    const named = new Set<string>();
    for (const b of [...model.clusterRoleBindings, ...model.roleBindings]) {
      named.add(b.roleRef.kind === 'Role' ? `Role\u0000${b.ref.namespace ?? ''}\u0000${b.roleRef.name}` : `${b.roleRef.kind}\u0000\u0000${b.roleRef.name}`);
    }
    const out: Evaluation[] = [];
    const partial = inventory.namespaceScope !== undefined;
    for (const role of [...model.clusterRoles.values(), ...model.roles]) {
      if (role.fromDefaults || isBuiltIn(role.resource)) continue;
      const key = `${role.ref.kind}\u0000${role.ref.namespace ?? ''}\u0000${role.ref.name}`;
      const pickedBy = role.ref.kind === 'ClusterRole' ? model.aggregation.pickedBy.get(role.ref.name) : undefined;
      if (named.has(key) || pickedBy?.length) {
        out.push({ subject: role.resource, violations: [] });
        continue;
      }
      // A read of some namespaces (-n, --shard) misses the RoleBindings elsewhere that may name a ClusterRole: no verdict.
      if (role.ref.kind === 'ClusterRole' && partial) continue;
      const where = role.ref.kind === 'Role' ? `no RoleBinding in namespace ${role.ref.namespace}` : 'no RoleBinding or ClusterRoleBinding';
      const aggregated = role.ref.kind === 'ClusterRole' ? ', and no aggregated ClusterRole picks it' : '';
      out.push({
        subject: role.resource,
        violations: [{ message: `${refDisplay(role.ref)} is bound by ${where}${aggregated}: it grants nothing, until a binding names it`, remediation: `Delete ${refDisplay(role.ref)}, or bind it where it is meant to be used.` }],
      });
    }
    return out;
  },
});
