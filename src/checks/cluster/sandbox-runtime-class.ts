import { defineCheck, type Evaluation } from '../../core/check.js';
import { namespaceSubject } from '../../core/subjects.js';
import { POD_KINDS } from '../../engines/workloads/pod-specs.js';
import { UNTRUSTED_LABEL, handlerOf, sandboxRuntimeClasses, untrustedWorkloads, type UntrustedWorkload } from '../../engines/workloads/untrusted.js';

export default defineCheck({
  id: 'cluster/sandbox-runtime-class',
  rung: 2,
  severity: 'high',
  title: 'Untrusted workloads but no sandbox RuntimeClass',
  rationale: `Workloads labelled \`${UNTRUSTED_LABEL}: "true"\` (themselves, their pod templates or their Namespace) run code nobody here reviewed, and need a sandbox runtime with its own kernel. A cluster that runs them must offer one: a RuntimeClass whose handler is gVisor (runsc, runsc-*, gvisor) or Kata Containers (kata*). Without it, no untrusted pod can be sandboxed, whatever its manifest says. Judged per namespace: one without untrusted workloads passes.`,
  remediation: 'Install gVisor or Kata Containers on a node pool for untrusted pods, define a RuntimeClass for it (`handler: runsc` or `kata`, with `scheduling.nodeSelector` for that pool), and set `runtimeClassName` on the untrusted workloads.',
  references: [
    { title: 'Kubernetes: Runtime Class', url: 'https://kubernetes.io/docs/concepts/containers/runtime-class/' },
    { title: 'gVisor: installation and Kubernetes RuntimeClass', url: 'https://gvisor.dev/docs/user_guide/containerd/quick_start/' },
    { title: 'Kata Containers', url: 'https://katacontainers.io/' },
  ],
  needs: { kinds: [...POD_KINDS, 'Namespace', 'RuntimeClass'] },
  examples: {
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: sandbox
  labels: {kubeladder.io/untrusted: "true"}
---
apiVersion: batch/v1
kind: Job
metadata: {name: user-script, namespace: sandbox}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: script
          image: registry.example.com/runner:1.0.0
`,
    good: `apiVersion: v1
kind: Namespace
metadata:
  name: sandbox
  labels: {kubeladder.io/untrusted: "true"}
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
---
apiVersion: batch/v1
kind: Job
metadata: {name: user-script, namespace: sandbox}
spec:
  template:
    spec:
      restartPolicy: Never
      runtimeClassName: gvisor
      containers:
        - name: script
          image: registry.example.com/runner:1.0.0
`,
  },
  // Judged per namespace, so that a sharded scan (which sees a shard's namespaces and every
  // RuntimeClass) gives the same answers as a whole one.
  evaluateAll: ({ inventory }) => {
    const byNamespace = new Map<string, UntrustedWorkload[]>();
    for (const u of untrustedWorkloads(inventory)) {
      const ns = u.resource.namespace ?? 'default';
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), u]);
    }
    const sandboxed = sandboxRuntimeClasses(inventory).length > 0;
    const others = inventory
      .ofKind('RuntimeClass')
      .filter((rc) => rc.group === 'node.k8s.io')
      .map((rc) => `"${rc.name}" (handler ${JSON.stringify(handlerOf(rc) ?? null)})`);
    return inventory.namespaces().map((ns): Evaluation => {
      const subject = namespaceSubject(ns);
      const untrusted = byNamespace.get(ns.name) ?? [];
      if (untrusted.length === 0 || sandboxed) return { subject, violations: [] };
      const n = untrusted.length;
      const names = untrusted
        .slice(0, 3)
        .map((u) => u.resource.display)
        .join(', ');
      return {
        subject,
        violations: [
          {
            message: `${n} untrusted workload${n === 1 ? ' needs' : 's need'} a sandbox (${names}${n > 3 ? `, and ${n - 3} more` : ''}), but no RuntimeClass in the input has a sandbox handler (gVisor runsc or Kata Containers)${others.length ? `: its RuntimeClasses are ${others.join(', ')}` : ''}`,
          },
        ],
      };
    });
  },
});
