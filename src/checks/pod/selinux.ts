import { pssControlCheck } from '../pss-control.js';

export default pssControlCheck({
  id: 'pod/selinux',
  pssCheck: 'seLinuxOptions',
  level: 'baseline',
  rung: 2,
  severity: 'high',
  title: 'Custom SELinux type, user or role',
  rationale:
    'On SELinux nodes, containers run as container_t, which confines them to their own files. A type such as spc_t ("super privileged container") or a custom user or role lifts that confinement: Pod Security baseline allows only the container types and no user or role.',
  remediation: 'Remove `seLinuxOptions.type` unless it is container_t, container_init_t, container_kvm_t or container_engine_t, and remove `user` and `role`; setting only `level` (MCS categories) is fine.',
  references: [{ title: 'Pod Security Standards: SELinux', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'SELinux' }],
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: collector, namespace: logging}
spec:
  securityContext:
    seLinuxOptions: {type: spc_t}
  containers:
    - {name: collector, image: "registry.example.com/collector:1.0.0"}
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: collector, namespace: logging}
spec:
  securityContext:
    seLinuxOptions: {level: "s0:c123,c456"}
  containers:
    - {name: collector, image: "registry.example.com/collector:1.0.0"}
`,
  },
});
