import { defineCheck } from '../../core/check.js';
import type { Resource } from '../../core/resource.js';
import { isEmptySelector, selectorMatches } from '../../engines/labels/selector.js';
import { podSpecOf } from '../../engines/workloads/pod-specs.js';
import { isTopLevel } from '../../engines/workloads/owners.js';

const KINDS = ['Deployment', 'StatefulSet'] as const;

/** spec.replicas, which defaults to 1. */
function replicasOf(r: Resource): number {
  const n = (r.obj.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof n === 'number' ? n : 1;
}

/** Whether a PodDisruptionBudget selects pods with these labels. */
function pdbSelects(pdb: Resource, labels: Readonly<Record<string, unknown>>): boolean {
  const selector = (pdb.obj.spec as { selector?: unknown } | undefined)?.selector;
  // policy/v1: a null selector selects nothing and `{}` every pod of the namespace (the
  // LabelSelector rule). policy/v1beta1 read `{}` as selecting nothing too.
  if (pdb.apiVersion === 'policy/v1beta1' && isEmptySelector(selector)) return false;
  return selectorMatches(selector, labels);
}

export default defineCheck({
  id: 'workload/pod-disruption-budget',
  rung: 2,
  severity: 'low',
  title: 'Replicated workload without a PodDisruptionBudget',
  rationale:
    'A node drain (an upgrade, autoscaling, maintenance) evicts pods without asking how many replicas are left: without a PodDisruptionBudget, every replica of a Deployment or StatefulSet can be evicted at once, and the service is down although it runs several copies.',
  remediation: 'Add a `policy/v1` PodDisruptionBudget in the same namespace whose selector matches the pod template\'s labels, with `minAvailable` or `maxUnavailable` that keeps the service up.',
  references: [
    { title: 'Kubernetes: specifying a disruption budget for your application', url: 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/' },
    { title: 'Polaris: reliability checks (missingPodDisruptionBudget)', url: 'https://polaris.docs.fairwinds.com/checks/reliability/' },
  ],
  needs: { kinds: [...KINDS, 'PodDisruptionBudget'] },
  kinds: KINDS,
  // A single replica is down during any eviction, budget or not (replicas: 1 is the default).
  appliesTo: (r, ctx) => isTopLevel(r, ctx.inventory) && replicasOf(r) > 1,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: registry.example.com/web:1.4.2}
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: registry.example.com/web:1.4.2}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
`,
  },
  evaluate: (r, { inventory }) => {
    const pod = podSpecOf(r);
    const labels = pod?.metadata.labels ?? {};
    const budgets = inventory.ofKind('PodDisruptionBudget').filter((p) => p.namespace === r.namespace);
    if (budgets.some((p) => pdbSelects(p, labels))) return [];
    const shown = Object.entries(labels)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return [
      {
        path: 'spec.replicas',
        message: `runs ${replicasOf(r)} replicas but no PodDisruptionBudget in namespace "${r.namespace ?? ''}" selects its pods (${shown ? `labels ${shown}` : 'no labels'})`,
      },
    ];
  },
});
