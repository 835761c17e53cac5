import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/host-path',
  pssCheck: 'hostPathVolumes',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'hostPath volume',
  rationale:
    'A hostPath volume puts part of the node\'s filesystem inside the pod. Depending on the path it exposes other pods\' data, kubelet credentials or the container runtime\'s socket, and a writable mount lets the pod plant files the node later runs: Pod Security baseline forbids it.',
  remediation: 'Use an emptyDir, a ConfigMap/Secret, or a PersistentVolumeClaim; node agents that truly need host files get a narrow read-only mount, an exemption with its reason, and a namespace of their own.',
  references: [
    { title: 'Pod Security Standards: HostPath Volumes', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'HostPath Volumes' },
    { title: 'CIS Kubernetes Benchmark 5.2.12', cis: '5.2.12' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: reader, namespace: shop}
spec:
  containers:
    - name: reader
      image: registry.example.com/reader:1.0.0
      volumeMounts: [{name: logs, mountPath: /logs}]
  volumes:
    - name: logs
      hostPath: {path: /var/log}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: reader, namespace: shop}
spec:
  containers:
    - name: reader
      image: registry.example.com/reader:1.0.0
      volumeMounts: [{name: logs, mountPath: /logs}]
  volumes:
    - name: logs
      emptyDir: {}
`,
  },
});
