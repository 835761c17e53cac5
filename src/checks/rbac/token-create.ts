import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { TOKEN_CREATE } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/token-create',
  rung: 2,
  severity: 'high',
  title: 'Subject may create service account tokens',
  rationale:
    'Creating `serviceaccounts/token` (the TokenRequest API) mints a token for any service account in scope, so the subject acts with the permissions of the most privileged service account it can reach, in its namespace or, cluster-wide, in kube-system. The built-in `edit` and `admin` roles grant it.',
  remediation: 'Remove `serviceaccounts/token` (and the `*` that covers it) from the role, or bind a role without it; a program that needs a token for one service account should get `create` on it by `resourceNames` only.',
  references: [
    { title: 'Kubernetes: RBAC good practices (token request)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts", "serviceaccounts/token"]
    verbs: ["get", "create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: token-minter, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: token-minter}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: shop}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: token-minter, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: token-minter}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: shop}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, TOKEN_CREATE.permissions),
});
