import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { isTopLevel } from '../../engines/workloads/owners.js';
import { POD_KINDS, podSpecOf } from '../../engines/workloads/pod-specs.js';
import { UNTRUSTED_LABEL, handlerOf, isSandboxHandler, runtimeClassNamed, untrustedReason } from '../../engines/workloads/untrusted.js';

export default defineCheck({
  id: 'pod/untrusted-without-sandbox',
  rung: 2,
  severity: 'high',
  title: 'Untrusted workload outside a sandbox',
  rationale: `A workload labelled \`${UNTRUSTED_LABEL}: "true"\` (on itself, its pod template or its Namespace) runs code nobody here wrote or reviewed: customers' scripts, forks' CI jobs, plugins. Under the default runtime (runc) its containers share the node's kernel, and one kernel bug or misconfiguration turns that code into root on the node. A sandbox runtime gives the pod its own kernel: gVisor (handler runsc, runsc-*, gvisor) or Kata Containers (handler kata*), chosen with \`runtimeClassName\`. A RuntimeClass the input does not define is a finding too: the RuntimeClass admission plugin rejects pods that name a missing class, and nothing shows that its handler is a sandbox.`,
  remediation: 'Install gVisor or Kata Containers on the nodes that run untrusted pods, define a RuntimeClass for it (`handler: runsc`, with a scheduling nodeSelector for those nodes), and set `runtimeClassName` on the pod template.',
  references: [
    { title: 'Kubernetes: Runtime Class', url: 'https://kubernetes.io/docs/concepts/containers/runtime-class/' },
    { title: 'gVisor: installation and Kubernetes RuntimeClass', url: 'https://gvisor.dev/docs/user_guide/containerd/quick_start/' },
    { title: 'Kata Containers', url: 'https://katacontainers.io/' },
  ],
  needs: { kinds: [...POD_KINDS, 'Namespace', 'RuntimeClass'] },
  kinds: POD_KINDS,
  // Only untrusted top-level workloads are judged: the others have nothing to prove here.
  appliesTo: (r, ctx) => isTopLevel(r, ctx.inventory) && untrustedReason(r, ctx.inventory) !== undefined,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: runner, namespace: ci}
spec:
  selector: {matchLabels: {app: runner}}
  template:
    metadata:
      labels: {app: runner, kubeladder.io/untrusted: "true"}
    spec:
      containers:
        - name: runner
          image: registry.example.com/ci/runner:4.1.0
`,
    good: `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: runner, namespace: ci}
spec:
  selector: {matchLabels: {app: runner}}
  template:
    metadata:
      labels: {app: runner, kubeladder.io/untrusted: "true"}
    spec:
      runtimeClassName: gvisor
      containers:
        - name: runner
          image: registry.example.com/ci/runner:4.1.0
`,
  },
  evaluate: (r, { inventory }) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const why = untrustedReason(r, inventory) ?? 'it is untrusted';
    const path = joinPath(pod.path, 'runtimeClassName');
    const name = pod.spec.runtimeClassName;
    if (typeof name !== 'string' || name.trim() === '') {
      return [{ path, message: `untrusted workload (${why}) sets no runtimeClassName, so its containers share the node's kernel under the default runtime` }];
    }
    const rc = runtimeClassNamed(inventory, name);
    if (!rc) {
      return [
        {
          path,
          message: `untrusted workload (${why}) names runtimeClassName "${name}", a RuntimeClass the input does not define: the RuntimeClass admission plugin rejects its pods, and nothing shows that its handler is a sandbox`,
          remediation: `Define RuntimeClass "${name}" (node.k8s.io/v1) with a sandbox handler such as \`runsc\` (gVisor) or \`kata\`, or name one that exists.`,
        },
      ];
    }
    const handler = handlerOf(rc);
    if (isSandboxHandler(handler)) return [];
    return [
      {
        path,
        message: `untrusted workload (${why}) runs under RuntimeClass "${name}", whose handler ${typeof handler === 'string' && handler ? `"${handler}"` : '(none)'} is not a sandbox (gVisor runsc or Kata Containers)`,
        remediation: 'Name a RuntimeClass whose handler is `runsc` (gVisor) or `kata*` (Kata Containers).',
      },
    ];
  },
});
