import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { ESCALATION_VERBS } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/escalation-verbs',
  rung: 2,
  severity: 'critical',
  title: 'Subject may escalate, bind or impersonate',
  rationale:
    'RBAC stops a subject from granting permissions it does not hold, unless it may `escalate` roles (write any rule into a role), `bind` them (bind any role, cluster-admin included, to itself) or `impersonate` users, groups or service accounts (act as anyone, system:masters included). Each of these verbs is a way to become cluster-admin.',
  remediation: 'Remove `escalate`, `bind` and `impersonate` (and the `*` that covers them) from the role, or bind a role without them; a controller that must bind roles should be limited by `resourceNames` to the roles it hands out.',
  references: [
    { title: 'Kubernetes: RBAC privilege escalation prevention', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping' },
    { title: 'CIS Kubernetes Benchmark 5.1.8', cis: '5.1.8' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: support}
rules:
  - apiGroups: [""]
    resources: ["users", "groups"]
    verbs: ["impersonate"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: support}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: support}
subjects:
  - {kind: Group, name: support-team, apiGroup: rbac.authorization.k8s.io}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: support}
rules:
  - apiGroups: [""]
    resources: ["pods", "events"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: support}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: support}
subjects:
  - {kind: Group, name: support-team, apiGroup: rbac.authorization.k8s.io}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, ESCALATION_VERBS.permissions),
});
