import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, describeContainer, eachContainer, isWindowsPod } from '../../engines/workloads/pod-specs.js';

export default defineCheck({
  id: 'pod/readonly-root-filesystem',
  rung: 2,
  severity: 'medium',
  title: 'Container root filesystem is writable',
  rationale:
    'With a writable root filesystem, whoever gets code running in the container can drop tools, rewrite its binaries and configuration, and leave a foothold that survives until the container is replaced. A read-only root leaves only the volumes you mounted writable, and makes tampering loud.',
  remediation:
    'Set `securityContext.readOnlyRootFilesystem: true` on every container, and mount an `emptyDir` where the program must write (`/tmp`, caches, pid files).',
  references: [
    { title: 'Kubernetes: configure a security context for a container', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/' },
    { title: 'NSA/CISA Kubernetes Hardening Guide: immutable container file systems', url: 'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          securityContext:
            readOnlyRootFilesystem: true
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
      volumes:
        - name: tmp
          emptyDir: {}
`,
  },
  // Ephemeral containers count too: a debug container with a writable root is a place to stage tools.
  // There is no pod-level readOnlyRootFilesystem: only the container's own setting counts.
  evaluate: (r) =>
    eachContainer(r, (c, pod) => {
      // Windows has no read-only root filesystem, and the API server rejects the field there.
      if (isWindowsPod(pod)) return undefined;
      const sc = c.container.securityContext;
      const value = typeof sc === 'object' && sc !== null ? sc.readOnlyRootFilesystem : undefined;
      if (value === true) return undefined;
      if (value !== undefined) {
        return {
          path: joinPath(c.path, 'securityContext.readOnlyRootFilesystem'),
          message: `${describeContainer(c)} sets readOnlyRootFilesystem: ${JSON.stringify(value)}, so its root filesystem is writable`,
        };
      }
      return {
        path: typeof sc === 'object' && sc !== null ? joinPath(c.path, 'securityContext') : c.path,
        message: `${describeContainer(c)} does not set readOnlyRootFilesystem: true, so its root filesystem is writable`,
      };
    }),
});
