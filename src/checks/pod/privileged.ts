import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, describeContainer, eachContainer } from '../../engines/workloads/pod-specs.js';

export default defineCheck({
  id: 'pod/privileged',
  rung: 2,
  severity: 'critical',
  title: 'Privileged container',
  rationale:
    'A privileged container runs with every capability and all host devices, with no seccomp or AppArmor confinement: a process in it is root on the node, and one escape away from every other pod there.',
  remediation: 'Remove `securityContext.privileged: true` (or set it to false); add only the capabilities the program needs.',
  references: [
    { title: 'Pod Security Standards: Privileged Containers', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'Privileged Containers' },
    { title: 'CIS Kubernetes Benchmark 5.2.2', cis: '5.2.2' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers:
    - name: debug
      image: busybox:1.36
      securityContext:
        privileged: true
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers:
    - name: debug
      image: busybox:1.36
      securityContext:
        privileged: false
`,
  },
  evaluate: (r) =>
    eachContainer(r, (c) =>
      c.container.securityContext?.privileged === true
        ? {
            path: joinPath(c.path, 'securityContext.privileged'),
            message: `${describeContainer(c)} runs privileged`,
            remediation: 'Set `privileged: false` and grant only the capabilities it needs under `capabilities.add`.',
          }
        : undefined,
    ),
});
