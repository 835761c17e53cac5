import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/drop-capabilities',
  pssCheck: 'capabilities_restricted',
  level: 'restricted',
  rung: 2,
  severity: 'medium',
  title: 'Capabilities not dropped',
  rationale:
    'Even the runtime\'s default capabilities let root in a container change file ownership, bypass file permissions, forge packets with NET_RAW (on older runtimes) and more. Pod Security restricted requires every container to drop ALL and add back at most NET_BIND_SERVICE.',
  remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` in every container and add back only NET_BIND_SERVICE if it binds a port below 1024 (`kubeladder fix --include drop-capabilities`).',
  references: [
    { title: 'Pod Security Standards: Capabilities', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', pss: 'Capabilities' },
    { title: 'CIS Kubernetes Benchmark 5.2.10', cis: '5.2.10' },
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
  containers:
    - name: api
      image: registry.example.com/api:1.0.0
      securityContext:
        capabilities: {drop: [ALL]}
`,
  },
});
