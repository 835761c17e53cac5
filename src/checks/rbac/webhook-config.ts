import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { WEBHOOK_CONFIG } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/webhook-config',
  rung: 2,
  severity: 'high',
  title: 'Subject may write admission webhook configurations',
  rationale:
    'An admission webhook configuration sends API requests to a server its author chooses: a subject that may create, update or patch validating or mutating webhook configurations can read every object written to the cluster (Secrets included), reject any of them, or, with a mutating webhook, rewrite them, for example to add a privileged container to every pod.',
  remediation: 'Remove `validatingwebhookconfigurations` and `mutatingwebhookconfigurations` (and the `*` that covers them) from the role, or bind a role without them; an operator that manages its own webhook should be limited by `resourceNames` to it.',
  references: [
    { title: 'Kubernetes: RBAC good practices (control admission webhooks)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: policy-operator}
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]
    verbs: ["get", "list", "create", "update", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: policy-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: policy-operator}
subjects:
  - {kind: ServiceAccount, name: operator, namespace: policy}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: policy-operator}
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: policy-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: policy-operator}
subjects:
  - {kind: ServiceAccount, name: operator, namespace: policy}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, WEBHOOK_CONFIG.permissions),
});
