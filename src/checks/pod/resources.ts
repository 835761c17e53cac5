import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, describeContainer, eachContainer } from '../../engines/workloads/pod-specs.js';

const RESOURCES = ['cpu', 'memory'] as const;

/** Whether a quantity is given: any non-empty value (the API server rejects malformed ones). */
function given(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function mapOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export default defineCheck({
  id: 'pod/resources',
  rung: 2,
  severity: 'medium',
  title: 'Container without CPU and memory requests and limits',
  rationale:
    'A container without limits can take all the CPU and memory of its node: one runaway or compromised pod starves its neighbours, the kubelet, and the node itself (a cheap denial of service). Without requests the scheduler places pods blind and evicts them first under pressure.',
  remediation:
    'Set `resources.requests.cpu`, `resources.requests.memory`, `resources.limits.cpu` and `resources.limits.memory` on every container, sized from what it really uses; a LimitRange can default them per namespace.',
  references: [
    { title: 'Kubernetes: resource management for pods and containers', url: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/' },
    { title: 'Polaris: efficiency checks (cpuRequestsMissing, memoryLimitsMissing...)', url: 'https://polaris.docs.fairwinds.com/checks/efficiency/' },
    { title: 'kube-score: container-resources', url: 'https://github.com/zegl/kube-score/blob/master/README_CHECKS.md' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.8.0
          resources:
            requests: {cpu: 100m, memory: 256Mi}
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.8.0
          resources:
            requests: {cpu: 100m, memory: 256Mi}
            limits: {cpu: "1", memory: 512Mi}
`,
  },
  evaluate: (r) =>
    eachContainer(r, (c) => {
      // Ephemeral containers may not set resources at all (the API server rejects them).
      if (c.list === 'ephemeralContainers') return undefined;
      const res = c.container.resources;
      const requests = mapOf(mapOf(res).requests);
      const limits = mapOf(mapOf(res).limits);
      const missing: string[] = [];
      for (const name of RESOURCES) {
        // When a limit is set and the request is not, the API server defaults the request to the
        // limit: a missing request beside its limit is no gap, so only a missing limit counts then.
        if (!given(requests[name]) && !given(limits[name])) missing.push(`requests.${name}`);
      }
      for (const name of RESOURCES) if (!given(limits[name])) missing.push(`limits.${name}`);
      if (missing.length === 0) return undefined;
      const fields = missing.map((m) => `resources.${m}`);
      return {
        // The field's path even when absent (the line falls back to the container): the API server defaults it to {}.
        path: joinPath(c.path, 'resources'),
        message: `${describeContainer(c)} does not set ${list(fields)}`,
        remediation: `Set ${list(fields.map((f) => `\`${f}\``))} on ${describeContainer(c)}.`,
      };
    }),
});

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
