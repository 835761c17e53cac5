import { defineCheck } from '../../core/check.js';
import { permissionFindings, RBAC_KINDS } from '../../engines/rbac/inventory-model.js';
import { PERSISTENT_VOLUME_CREATE } from '../../engines/rbac/risky-permissions.js';

export default defineCheck({
  id: 'rbac/persistent-volume-create',
  rung: 2,
  severity: 'high',
  title: 'Subject may create PersistentVolumes',
  rationale:
    'A PersistentVolume can be a `hostPath` volume, and Pod Security Admission does not look at PersistentVolumes: a subject that may create one, and a claim and a pod to mount it, reads and writes any path of the node, its kubelet credentials and container runtime socket included. Workloads should ask for storage through PersistentVolumeClaims and a StorageClass.',
  remediation: 'Remove `persistentvolumes` (and the `*` that covers it) from the rules that let the subject create it, or bind a role without it; let a StorageClass provision volumes for PersistentVolumeClaims instead.',
  references: [
    { title: 'Kubernetes: RBAC good practices (persistent volume creation)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation' },
  ],
  needs: { kinds: RBAC_KINDS },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: storage-admin}
rules:
  - apiGroups: [""]
    resources: ["persistentvolumes", "persistentvolumeclaims"]
    verbs: ["get", "list", "create", "delete"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: storage-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: storage-admin}
subjects:
  - {kind: Group, name: data-team, apiGroup: rbac.authorization.k8s.io}
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: storage-admin}
rules:
  - apiGroups: [""]
    resources: ["persistentvolumes"]
    verbs: ["get", "list"]
  - apiGroups: [""]
    resources: ["persistentvolumeclaims"]
    verbs: ["get", "list", "create", "delete"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: storage-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: storage-admin}
subjects:
  - {kind: Group, name: data-team, apiGroup: rbac.authorization.k8s.io}
`,
  },
  evaluateAll: ({ inventory }) => permissionFindings(inventory, PERSISTENT_VOLUME_CREATE.permissions),
});
