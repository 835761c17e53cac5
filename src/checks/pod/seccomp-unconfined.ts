import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/seccomp-unconfined',
  pssCheck: 'seccompProfile_baseline',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'Seccomp explicitly disabled',
  rationale:
    'Seccomp filters the system calls a container may make; the runtime\'s default profile blocks the ones most kernel exploits and escapes use (keyctl, unshare, bpf, ptrace on older kernels). A pod or container that asks for `Unconfined` opts out of that filter; Pod Security baseline forbids it.',
  remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` (or a Localhost profile) instead of `Unconfined`, and remove `seccomp.security.alpha.kubernetes.io/*: unconfined` annotations.',
  references: [
    { title: 'Pod Security Standards: Seccomp', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Seccomp' },
    { title: 'CIS Kubernetes Benchmark 5.7.2', cis: '5.7.2' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: builder, namespace: ci}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers:
    - {name: builder, image: "registry.example.com/builder:1.0.0"}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: builder, namespace: ci}
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
    - {name: builder, image: "registry.example.com/builder:1.0.0"}
`,
  },
});
