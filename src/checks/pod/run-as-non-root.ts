import { defineCheck, type Violation } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { runPssCheck } from '../../engines/pss/index.js';
import { containersOf, describeContainer, isWindowsPod, POD_KINDS, podSpecOf, WORKLOAD_SCOPE } from '../../engines/workloads/pod-specs.js';
import { objectPath, SCAN_PSS_VERSION } from '../pss-control.js';

/** A container's effective id: its own securityContext wins over the pod's. */
function effective(own: unknown, pod: unknown): unknown {
  return own !== undefined && own !== null ? own : pod;
}

export default defineCheck({
  id: 'pod/run-as-non-root',
  rung: 2,
  severity: 'medium',
  title: 'Container may run as root',
  rationale:
    'A process running as UID 0 in a container is root on the node whenever anything else fails: a kernel bug, a writable host mount, a runtime escape. Pod Security restricted requires `runAsNonRoot: true` and no `runAsUser: 0`; kubeladder also asks for an explicit non-zero `runAsUser` and `runAsGroup`, so the ids do not depend on the image (GID 0 reads and writes every root-group file the image ships).',
  remediation: 'Set `runAsNonRoot: true`, `runAsUser` and `runAsGroup` to non-zero ids (e.g. 10001) in the pod securityContext, and build the image to run as that user (`kubeladder fix --include run-as-non-root` sets runAsNonRoot).',
  references: [
    { title: 'Pod Security Standards: Running as Non-root', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', pss: 'Running as Non-root' },
    { title: 'CIS Kubernetes Benchmark 5.2.7', cis: '5.2.7' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
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
  securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001}
  containers:
    - {name: api, image: "registry.example.com/api:1.0.0"}
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const id of ['runAsNonRoot', 'runAsUser']) {
      const found = runPssCheck(id, pod.metadata, pod.spec, SCAN_PSS_VERSION);
      if (found) out.push({ path: found.fields[0] ? objectPath(pod, found.fields[0]) : pod.path, message: `violates Pod Security Standards restricted: ${found.message}` });
    }
    // Windows has no UIDs; user-namespaced pods map root to an unprivileged host id (PSS relaxes them too).
    if (isWindowsPod(pod)) return out;
    if (pod.spec.hostUsers === false) return out;
    const podSc = pod.spec.securityContext ?? {};
    for (const c of containersOf(pod)) {
      const own = c.container.securityContext ?? {};
      for (const field of ['runAsUser', 'runAsGroup'] as const) {
        const id = effective(own[field], podSc[field]);
        if (id === 0 && field === 'runAsUser') continue; // the PSS runAsUser finding above says it
        if (typeof id !== 'number' || id === 0) {
          out.push({
            path: joinPath(c.path, 'securityContext'),
            message: id === 0 ? `${describeContainer(c)} runs with ${field}: 0 (the root group)` : `${describeContainer(c)} sets no ${field}, so the image decides (often root)`,
          });
        }
      }
    }
    return out;
  },
});
