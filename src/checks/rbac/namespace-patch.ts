import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { NAMESPACE_PATCH } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/namespace-patch',
  rung: 2,
  severity: 'medium',
  title: 'Subject may modify namespaces',
  rationale:
    'Pod Security Admission reads its levels from namespace labels, and NetworkPolicies and other policies select namespaces by label: a subject that may update or patch a namespace can set `pod-security.kubernetes.io/enforce: privileged` and then run privileged pods there, or move the namespace into or out of the policies that select it.',
  remediation: 'Remove `namespaces` (and the `*` that covers it) from the rules that let the subject update or patch it, or bind a role without it; namespaces and their labels belong to the platform team, managed from source control.',
  references: [
    { title: 'Kubernetes: RBAC good practices (namespace modification)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification' },
    { title: 'Kubernetes: Pod Security Admission', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: namespace-manager}
rules:
  - apiGroups: [""]
    resources: ["namespaces"]
    verbs: ["get", "list", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: namespace-manager}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: namespace-manager}
subjects:
  - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: namespace-manager}
rules:
  - apiGroups: [""]
    resources: ["namespaces"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: namespace-manager}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: namespace-manager}
subjects:
  - {kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, NAMESPACE_PATCH.permissions),
});
