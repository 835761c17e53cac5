import { defineCheck, type Evaluation, type Violation } from '../../core/check.js';
import { netpolModelOf, NETPOL_KINDS } from '../../engines/netpol/inventory-model.js';

const ADMIN_GROUP = 'policy.networking.k8s.io';

/** `spec.ingress[0].from[0]: must specify a peer` as path and reason; an error about the whole object has no path. */
function split(error: string): Violation {
  const m = /^((?:spec|metadata|kind)(?:[.[][^:\s]*)?): (.+)$/.exec(error);
  return m ? { path: m[1]!, message: m[2]! } : { message: error };
}

export default defineCheck({
  id: 'netpol/invalid-policy',
  rung: 2,
  severity: 'high',
  title: 'NetworkPolicy the API server rejects',
  rationale:
    "The API server validates every NetworkPolicy (and AdminNetworkPolicy) and refuses one with, say, a peer that sets nothing, an ipBlock with a bad CIDR or an except outside it, an endPort with a named port, or an unknown protocol or policy type. `kubectl apply` of the file fails, often inside a pipeline that carries on, and whatever the policy was meant to isolate stays open, or keeps an older version's rules. kubeladder's reachability checks leave such a policy out instead of guessing what it meant, so until it is fixed they judge the namespace without it.",
  remediation: 'Fix the field the API server rejects (the finding names it), then apply the policy and confirm it exists with `kubectl get networkpolicy -n NS`.',
  references: [
    { title: 'Kubernetes: the NetworkPolicy resource', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource' },
    { title: 'Kubernetes API: NetworkPolicy v1', url: 'https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/' },
  ],
  needs: { kinds: NETPOL_KINDS },
  examples: {
    bad: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: http, endPort: 8090}]
`,
    good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: 8080, endPort: 8090}]
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = netpolModelOf(inventory);
    const invalid = new Map(model.invalid.map((i) => [`${i.kind}/${i.namespace}/${i.name}`, i]));
    const objects = [
      ...inventory.ofKind('NetworkPolicy').filter((r) => r.group === 'networking.k8s.io'),
      ...inventory.ofKind('AdminNetworkPolicy').filter((r) => r.group === ADMIN_GROUP),
      ...inventory.ofKind('BaselineAdminNetworkPolicy').filter((r) => r.group === ADMIN_GROUP),
    ];
    return objects.map((r): Evaluation => {
      const ns = r.kind === 'NetworkPolicy' ? (r.namespace ?? 'default') : '';
      const bad = invalid.get(`${r.kind}/${ns}/${r.name}`);
      if (!bad) return { subject: r, violations: [] };
      return {
        subject: r,
        violations: bad.errors.map((e) => {
          const v = split(e);
          return {
            path: v.path,
            message: `the API server rejects this ${r.kind} (${e}): it does not apply, so the pods it was meant to isolate stay open`,
            remediation: v.path ? `Fix ${v.path}: ${v.message}.` : undefined,
          };
        }),
      };
    });
  },
});
