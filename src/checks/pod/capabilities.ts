import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/capabilities',
  pssCheck: 'capabilities_baseline',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'Capabilities beyond the runtime defaults',
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE or SYS_MODULE give a container pieces of root on the node: mounting filesystems, rewriting routes and firewall rules, spoofing packets, reading other processes\' memory, loading kernel modules. Pod Security baseline allows only the container runtime\'s default set to be added.',
  remediation: 'Remove capabilities outside AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT from `capabilities.add`, and better, drop ALL and add back only NET_BIND_SERVICE.',
  references: [
    { title: 'Pod Security Standards: Capabilities', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Capabilities' },
    { title: 'CIS Kubernetes Benchmark 5.2.9', cis: '5.2.9' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: vpn, namespace: shop}
spec:
  containers:
    - name: vpn
      image: registry.example.com/vpn:1.0.0
      securityContext:
        capabilities: {add: [NET_ADMIN]}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: vpn, namespace: shop}
spec:
  containers:
    - name: vpn
      image: registry.example.com/vpn:1.0.0
      securityContext:
        capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
`,
  },
});
