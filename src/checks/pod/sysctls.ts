import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/sysctls',
  pssCheck: 'sysctls',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'Unsafe sysctls',
  rationale:
    'Only a handful of sysctls are namespaced and safe to set per pod; any other sysctl changes the kernel of the whole node (or fails to start). Pod Security baseline allows only the safe set, which grows by version (tcp_keepalive_* in 1.29, tcp_rmem/wmem in 1.32...).',
  remediation: 'Remove sysctls outside the safe set from `securityContext.sysctls`; tune node-wide settings on the node (its OS configuration), not from a pod.',
  references: [
    { title: 'Pod Security Standards: Sysctls', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Sysctls' },
    { title: 'Kubernetes: using sysctls in a cluster', url: 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: cache, namespace: shop}
spec:
  securityContext:
    sysctls: [{name: net.core.somaxconn, value: "4096"}]
  containers:
    - {name: cache, image: "registry.example.com/cache:7.2.0"}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: cache, namespace: shop}
spec:
  securityContext:
    sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65000"}]
  containers:
    - {name: cache, image: "registry.example.com/cache:7.2.0"}
`,
  },
});
