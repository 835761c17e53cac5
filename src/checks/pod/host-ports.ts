import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/host-ports',
  pssCheck: 'hostPorts',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'hostPort',
  rationale:
    'A hostPort opens a port on the node\'s own address that bypasses Services and, on many CNIs, NetworkPolicy; it exposes the pod to whatever can reach the node and pins it to nodes where the port is free.',
  remediation: 'Remove `hostPort` and reach the pod through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress.',
  references: [
    { title: 'Pod Security Standards: Host Ports', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Host Ports' },
    { title: 'CIS Kubernetes Benchmark 5.2.13', cis: '5.2.13' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.0.0
      ports: [{containerPort: 8080, hostPort: 80}]
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.0.0
      ports: [{containerPort: 8080}]
`,
  },
});
