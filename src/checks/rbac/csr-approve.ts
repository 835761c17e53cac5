import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { CSR_APPROVE } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/csr-approve',
  rung: 2,
  severity: 'high',
  title: 'Subject may approve certificate signing requests',
  rationale:
    'Updating `certificatesigningrequests/approval` approves CSRs; with `approve` on the signer too (`signers` in certificates.k8s.io, often granted by `*`), the subject can have the cluster CA issue a client certificate for any user or group it names, a node or `system:masters` included, and so authenticate as them. Certificates cannot be revoked before they expire.',
  remediation: 'Remove `certificatesigningrequests/approval` (and the `*` that covers it) from the role, or bind a role without it; an approver controller should also hold `approve` only on the `signers` it serves, by `resourceNames`.',
  references: [
    { title: 'Kubernetes: RBAC good practices (CSRs and certificate issuing)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing' },
    { title: 'Kubernetes: Certificates and Certificate Signing Requests (authorization)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr-approver}
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests", "certificatesigningrequests/approval"]
    verbs: ["get", "list", "update"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["signers"]
    verbs: ["approve"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: csr-approver}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr-approver}
subjects:
  - {kind: ServiceAccount, name: approver, namespace: platform}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr-approver}
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: csr-approver}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: csr-approver}
subjects:
  - {kind: ServiceAccount, name: approver, namespace: platform}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, CSR_APPROVE.permissions),
});
