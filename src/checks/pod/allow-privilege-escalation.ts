import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/allow-privilege-escalation',
  pssCheck: 'allowPrivilegeEscalation',
  level: 'restricted',
  rung: 2,
  severity: 'medium',
  title: 'Privilege escalation allowed',
  rationale:
    'Unless a container sets `allowPrivilegeEscalation: false`, its processes can gain privileges through setuid binaries and file capabilities (the no_new_privs flag is off): a compromised non-root process can become root inside the container. Pod Security restricted requires it to be false.',
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` in every container (`kubeladder fix` does this by default).',
  references: [
    { title: 'Pod Security Standards: Privilege Escalation', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', pss: 'Privilege Escalation' },
    { title: 'CIS Kubernetes Benchmark 5.2.6', cis: '5.2.6' },
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
      securityContext: {allowPrivilegeEscalation: false}
`,
  },
});
