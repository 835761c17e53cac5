import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { KUBE_SYSTEM_CONFIGMAPS } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/kube-system-configmaps',
  rung: 2,
  severity: 'high',
  title: 'Subject may modify ConfigMaps in kube-system',
  rationale:
    'ConfigMaps in kube-system configure the cluster itself: `coredns` decides what every name resolves to, `kube-proxy` how Services route, and others configure the API server\'s clients, authentication and add-ons. A subject that may update or patch them can redirect traffic in every namespace, for example point a Service name at an address it controls.',
  remediation: 'Remove `configmaps` (and the `*` that covers it) from the rules that let the subject update or patch it in kube-system (a ClusterRoleBinding grants it there too), or bind a role without it; where a program must change one ConfigMap, grant it by `resourceNames` in a RoleBinding in kube-system.',
  references: [
    { title: 'Kubernetes: RBAC good practices (least privilege)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege' },
    { title: 'Kubernetes: Customizing DNS Service', url: 'https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: dns-editor, namespace: kube-system}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "update", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dns-editor, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: dns-editor}
subjects:
  - {kind: Group, name: network-team, apiGroup: rbac.authorization.k8s.io}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: dns-editor, namespace: kube-system}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dns-editor, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: dns-editor}
subjects:
  - {kind: Group, name: network-team, apiGroup: rbac.authorization.k8s.io}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, KUBE_SYSTEM_CONFIGMAPS.permissions),
});
