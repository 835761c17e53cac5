import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { SECRETS_READ } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/secrets-read',
  rung: 2,
  severity: 'high',
  title: 'Subject may read Secrets',
  rationale:
    'Secrets hold passwords, API keys, TLS keys and service account tokens: a subject that may get, list or watch them in a namespace holds every credential there (list and watch return the values too), and cluster-wide every credential in the cluster, often enough to become cluster-admin. Workloads rarely need to read Secrets through the API; they mount the ones they use.',
  remediation: 'Remove `secrets` from the rules that grant it, or bind a role without it; where a program must read one Secret, grant `get` on it by `resourceNames` in its namespace only.',
  references: [
    { title: 'Kubernetes: RBAC good practices (listing Secrets)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets' },
    { title: 'CIS Kubernetes Benchmark 5.1.2', cis: '5.1.2' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: prometheus}
rules:
  - apiGroups: [""]
    resources: ["pods", "services", "endpoints", "secrets"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: prometheus}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: prometheus}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: prometheus}
rules:
  - apiGroups: [""]
    resources: ["pods", "services", "endpoints"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: prometheus}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: prometheus}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, SECRETS_READ.permissions),
});
