import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { NODES_PROXY } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/nodes-proxy',
  rung: 2,
  severity: 'critical',
  title: 'Subject may reach the kubelet API through nodes/proxy',
  rationale:
    'The `nodes/proxy` subresource forwards requests to the kubelet API of a node, which runs commands in any pod on it (exec, attach, run) past admission control and without the audit trail of `pods/exec`. `get` alone is enough: the kubelet authorizes a websocket exec by the GET that opens it. A subject with it holds every pod, token and Secret on every node.',
  remediation: 'Remove `nodes/proxy` (and the `*` that covers it) from the role, or bind a role without it; monitoring that reads kubelet metrics should use `nodes/metrics` and `nodes/stats` instead.',
  references: [
    { title: 'Kubernetes: RBAC good practices (access to proxy subresource of Nodes)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes' },
    { title: 'Kubernetes: kubelet authentication/authorization', url: 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics-scraper}
rules:
  - apiGroups: [""]
    resources: ["nodes", "nodes/proxy"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics-scraper}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics-scraper}
subjects:
  - {kind: ServiceAccount, name: scraper, namespace: monitoring}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics-scraper}
rules:
  - apiGroups: [""]
    resources: ["nodes", "nodes/metrics", "nodes/stats"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics-scraper}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics-scraper}
subjects:
  - {kind: ServiceAccount, name: scraper, namespace: monitoring}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, NODES_PROXY.permissions),
});
