import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/host-namespaces',
  pssCheck: 'hostNamespaces',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'Host network, PID or IPC namespace',
  rationale:
    'A pod in the host network namespace sees every interface of the node and can bind any port, sniff traffic and reach services listening on localhost (the kubelet, etcd on a control-plane node); in the host PID namespace it sees and signals every process; in the host IPC namespace it reads shared memory of other programs.',
  remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false); expose ports through a Service instead.',
  references: [
    { title: 'Pod Security Standards: Host Namespaces', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Host Namespaces' },
    { title: 'CIS Kubernetes Benchmark 5.2.3-5.2.5', cis: '5.2.3' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: sniffer, namespace: shop}
spec:
  hostNetwork: true
  containers:
    - {name: sniffer, image: "registry.example.com/sniffer:1.0.0"}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: sniffer, namespace: shop}
spec:
  containers:
    - {name: sniffer, image: "registry.example.com/sniffer:1.0.0"}
`,
  },
});
