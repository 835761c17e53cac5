import { defineCheck, type Evaluation } from '../../core/check.js';
import { netpolModelOf, NETPOL_KINDS } from '../../engines/netpol/inventory-model.js';
import { formatSelector, policySelects } from '../../engines/netpol/match.js';
import { ENDPOINT_KINDS } from '../../engines/netpol/workloads.js';
import { policyResource, workloadName } from '../netpol-support.js';

export default defineCheck({
  id: 'netpol/policy-selects-nothing',
  rung: 2,
  severity: 'low',
  title: 'NetworkPolicy selects no workload',
  rationale:
    "A NetworkPolicy isolates and allows only for the pods its spec.podSelector matches, in its own namespace. One that matches none of the namespace's workloads protects nothing: usually a label was mistyped or renamed, and the pods it was written for are left open, or allowed what another policy grants, while the file suggests otherwise. The input may hold only part of a namespace, so a policy is judged only where the input has workloads in its namespace; host-network workloads count as matches, and a policy the API server would reject is left to netpol/invalid-policy.",
  remediation: "Correct spec.podSelector to the labels of the pods' template (metadata.labels of the Deployment's spec.template, say), or delete the policy if its workload is gone.",
  references: [
    { title: 'Kubernetes: the NetworkPolicy resource (spec.podSelector)', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource' },
    { title: 'Kubernetes: labels and selectors', url: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors' },
  ],
  needs: { kinds: [...NETPOL_KINDS, ...ENDPOINT_KINDS] },
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: payments, namespace: shop}
spec:
  selector: {matchLabels: {app: payments}}
  template:
    metadata: {labels: {app: payments}}
    spec:
      containers: [{name: payments, image: registry.example.com/payments:2.0.1}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: payments, namespace: shop}
spec:
  podSelector: {matchLabels: {app: paymnets}}
  policyTypes: [Ingress, Egress]
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: payments, namespace: shop}
spec:
  selector: {matchLabels: {app: payments}}
  template:
    metadata: {labels: {app: payments}}
    spec:
      containers: [{name: payments, image: registry.example.com/payments:2.0.1}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: payments, namespace: shop}
spec:
  podSelector: {matchLabels: {app: payments}}
  policyTypes: [Ingress, Egress]
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = netpolModelOf(inventory);
    return model.policies.flatMap((p): Evaluation[] => {
      const resource = policyResource(inventory, p);
      if (!resource) return [];
      const here = model.pods.filter((pod) => pod.namespace === p.namespace);
      if (here.length === 0 || here.some((pod) => policySelects(p, pod))) return [{ subject: resource, violations: [] }];
      const keys = [...new Set(p.podSelector.map((r) => r.key))];
      const seen = keys.flatMap((k) => [...new Set(here.map((pod) => pod.labels[k]).filter((v): v is string => v !== undefined))].sort().map((v) => `${k}=${v}`));
      const names = here.map(workloadName);
      const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
      return [
        {
          subject: resource,
          violations: [
            {
              path: 'spec.podSelector',
              message: `spec.podSelector (${formatSelector(p.podSelector)}) matches no workload in namespace ${p.namespace}, whose ${here.length === 1 ? 'only workload' : `${here.length} workloads`} (${shown}) ${here.length === 1 ? 'carries' : 'carry'} ${seen.length ? seen.join(', ') : `no ${keys.join(' or ')} label`}: the policy isolates and allows nothing`,
            },
          ],
        },
      ];
    });
  },
});
