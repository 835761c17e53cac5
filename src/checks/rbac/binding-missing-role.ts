import { defineCheck, type Evaluation } from '../../core/check.js';
import { inputBindings, rbacModelOf, RBAC_KINDS, refDisplay } from '../../engines/rbac/inventory-model.js';
import { subjectDisplay } from '../../engines/rbac/subjects.js';

export default defineCheck({
  id: 'rbac/binding-missing-role',
  rung: 2,
  severity: 'medium',
  title: 'Binding to a role that does not exist',
  rationale:
    "A binding whose roleRef names no role grants nothing today, and everything tomorrow: whoever may create a role of that name (in the binding's namespace, or any ClusterRole) hands its subjects whatever they write into it, without needing the bind verb. It usually means a role was renamed or deleted and the binding left behind. A roleRef can never be changed, so the binding itself must go. Manifests are judged with the cluster's built-in roles added; a role defined in another repository shows up here too.",
  remediation: 'Delete the binding, or create the role it names with only what the subjects need.',
  references: [
    { title: 'Kubernetes: RBAC (RoleBinding and ClusterRoleBinding)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding' },
    { title: 'Kubernetes: RBAC good practices', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: metrics-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: metrics-reader}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: metrics-reader, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["pods", "endpoints"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: metrics-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: metrics-reader}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring}
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = rbacModelOf(inventory);
    const missing = new Map(model.missingRoles().map((m) => [m.binding, m]));
    return inputBindings(model).map((b): Evaluation => {
      const m = missing.get(b.ref);
      if (!m) return { subject: b.resource, violations: [] };
      const subjects = b.subjects.length ? b.subjects.map(subjectDisplay).join(', ') : 'no subject';
      const named = refDisplay({ kind: m.roleRef.kind, name: m.roleRef.name, namespace: m.roleRef.namespace });
      // The model looks a ClusterRoleBinding's Role up in no namespace and finds none; the API server rejects such a binding outright.
      const invalid = b.ref.kind === 'ClusterRoleBinding' && m.roleRef.kind === 'Role' ? `a ClusterRoleBinding cannot bind a Role (roleRef names Role ${m.roleRef.name})` : m.reason === 'unsupported-kind' ? `roleRef kind "${m.roleRef.kind}" is neither Role nor ClusterRole` : undefined;
      const message = invalid ? `${invalid}: the API server rejects it, and it grants nothing` : `roleRef names ${named}, which does not exist: the binding grants nothing today, and whoever creates ${named} grants its rules to ${subjects}`;
      return { subject: b.resource, violations: [{ path: 'roleRef', message, remediation: !invalid ? `Delete ${refDisplay(b.ref)} (a roleRef cannot be changed), or create ${named} with only what its subjects need.` : `Delete ${refDisplay(b.ref)} and bind a Role or ClusterRole that exists.` }] };
    });
  },
});
