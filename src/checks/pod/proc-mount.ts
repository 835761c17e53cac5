import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/proc-mount',
  pssCheck: 'procMount_restricted',
  level: 'restricted',
  rung: 2,
  severity: 'medium',
  title: 'Unmasked /proc',
  rationale:
    'The runtime masks and makes read-only the parts of /proc that leak host information or control the kernel (/proc/kcore, /proc/sys, /proc/sysrq-trigger). `procMount: Unmasked` removes that mask. The API server accepts it only in user-namespaced pods (`hostUsers: false`), which Pod Security baseline has allowed since 1.35; restricted still forbids it, since the pod keeps sharing the node\'s kernel with an unmasked view of it.',
  remediation: 'Remove `procMount` (or set it to Default); nested container builds that need it belong in a sandbox (a gVisor or Kata RuntimeClass), not merely a user namespace.',
  references: [{ title: 'Pod Security Standards: /proc Mount Type', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', pss: '/proc Mount Type' }],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: builder, namespace: ci}
spec:
  hostUsers: false
  containers:
    - name: builder
      image: registry.example.com/builder:1.0.0
      securityContext: {procMount: Unmasked}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: builder, namespace: ci}
spec:
  hostUsers: false
  containers:
    - name: builder
      image: registry.example.com/builder:1.0.0
      securityContext: {procMount: Default}
`,
  },
});
