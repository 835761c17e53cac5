import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { POD_EXEC } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/pod-exec',
  rung: 2,
  severity: 'high',
  title: 'Subject may exec into pods',
  rationale:
    'Exec, attach and ephemeral containers run commands inside a pod, with its service account token, its mounted Secrets and its network access; port-forward reaches its ports past every NetworkPolicy. A subject with them holds whatever the pods it can reach hold. Debugging access belongs to people, granted when needed, not to standing bindings.',
  remediation: 'Remove `pods/exec`, `pods/attach`, `pods/portforward` and `pods/ephemeralcontainers` (and the `*` that covers them) from the role, or bind a role without them; grant debugging access for a time and to named people.',
  references: [
    { title: 'Kubernetes: RBAC good practices (escalation risks)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#kubernetes-rbac-privilege-escalation-risks' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debug, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec"]
    verbs: ["get", "create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: debug, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: debug}
subjects:
  - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debug, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: debug, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: debug}
subjects:
  - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, POD_EXEC.permissions),
});
