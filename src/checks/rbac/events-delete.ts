import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { EVENTS_DELETE } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/events-delete',
  rung: 2,
  severity: 'medium',
  title: 'Subject may delete events',
  rationale:
    'Events record what happened to objects: failed mounts, image pulls, evictions, pods created by a controller. A subject that may delete or deletecollection events (core or events.k8s.io) can erase the traces of what it did before anyone looks, leaving only the audit log, which many clusters do not keep. The built-in `edit` and `admin` roles grant it.',
  remediation: 'Remove `events` (and the `*` that covers it) from the rules that let the subject delete it, or bind a role without it; events expire on their own (after an hour by default), so nothing needs to delete them.',
  references: [
    { title: 'Kubernetes: RBAC good practices', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/' },
    { title: 'Kubernetes: Auditing', url: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: janitor, namespace: shop}
rules:
  - apiGroups: ["", "events.k8s.io"]
    resources: ["events"]
    verbs: ["get", "list", "delete", "deletecollection"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: janitor, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: janitor}
subjects:
  - {kind: ServiceAccount, name: janitor, namespace: shop}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: janitor, namespace: shop}
rules:
  - apiGroups: ["", "events.k8s.io"]
    resources: ["events"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: janitor, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: janitor}
subjects:
  - {kind: ServiceAccount, name: janitor, namespace: shop}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, EVENTS_DELETE.permissions),
});
