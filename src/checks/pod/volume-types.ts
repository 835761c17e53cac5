import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/volume-types',
  pssCheck: 'restrictedVolumes',
  level: 'restricted',
  rung: 2,
  severity: 'medium',
  title: 'Volume type outside the restricted set',
  rationale:
    'Pod Security restricted allows only volume types that cannot reach the node or other tenants directly: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret. In-tree network and host volumes (nfs, iscsi, hostPath, cephfs...) bypass PersistentVolume access control.',
  remediation: 'Mount storage through a PersistentVolumeClaim (or a CSI ephemeral volume) instead of naming the volume source in the pod.',
  references: [{ title: 'Pod Security Standards: Volume Types', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', pss: 'Volume Types' }],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: reports, namespace: shop}
spec:
  containers:
    - name: reports
      image: registry.example.com/reports:1.0.0
      volumeMounts: [{name: archive, mountPath: /archive}]
  volumes:
    - name: archive
      nfs: {server: nfs.example.internal, path: /exports/reports}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: reports, namespace: shop}
spec:
  containers:
    - name: reports
      image: registry.example.com/reports:1.0.0
      volumeMounts: [{name: archive, mountPath: /archive}]
  volumes:
    - name: archive
      persistentVolumeClaim: {claimName: reports-archive}
`,
  },
});
