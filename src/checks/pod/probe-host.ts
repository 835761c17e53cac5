import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/probe-host',
  pssCheck: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'Probe or lifecycle hook aimed at another host',
  rationale:
    'Probes and lifecycle hooks are run by the kubelet, from the node. Setting `httpGet.host` or `tcpSocket.host` makes the kubelet connect wherever the pod says: to the node\'s own localhost services or anything the node can reach, past NetworkPolicy. Pod Security baseline forbids it from 1.34.',
  remediation: 'Remove `host` from the probe or hook so the kubelet checks the pod\'s own IP; check dependencies from inside the program instead.',
  references: [{ title: 'Pod Security Standards: Probes / Lifecycle Hooks', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Probes / Lifecycle Hooks' }],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.0.0
      readinessProbe:
        httpGet: {host: 127.0.0.1, port: 10250, path: /healthz}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  containers:
    - name: api
      image: registry.example.com/api:1.0.0
      readinessProbe:
        httpGet: {port: 8080, path: /healthz}
`,
  },
});
