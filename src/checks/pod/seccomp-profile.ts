import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/seccomp-profile',
  pssCheck: 'seccompProfile_restricted',
  level: 'restricted',
  rung: 2,
  severity: 'medium',
  title: 'No seccomp profile',
  rationale:
    'Unless the kubelet runs with --seccomp-default, a container without a seccomp profile runs Unconfined: every system call is open to it, including those most kernel exploits use. Pod Security restricted requires the pod or every container to name RuntimeDefault or a Localhost profile.',
  remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (`kubeladder fix` does this by default).',
  references: [
    { title: 'Pod Security Standards: Seccomp', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', pss: 'Seccomp' },
    { title: 'CIS Kubernetes Benchmark 5.7.2', cis: '5.7.2' },
  ],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  containers:
    - {name: api, image: "registry.example.com/api:1.0.0"}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop}
spec:
  securityContext:
    seccompProfile: {type: RuntimeDefault}
  containers:
    - {name: api, image: "registry.example.com/api:1.0.0"}
`,
  },
});
