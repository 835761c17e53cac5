import { defineCheck, type Evaluation } from '../../core/check.js';
import { namespaceSubject } from '../../core/subjects.js';
import { defaultDeny } from '../../engines/netpol/default-deny.js';

export default defineCheck({
  id: 'netpol/namespace-default-deny',
  rung: 2,
  severity: 'high',
  title: 'Namespace without default-deny NetworkPolicy',
  rationale:
    'Without a policy that selects every pod, Kubernetes lets every pod talk to every other pod, in every namespace, and out to anywhere: one compromised pod can reach all the others, the API server and the cloud metadata service. A default deny for ingress and egress makes every allowed connection a written decision.',
  remediation:
    'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` and no rules to the namespace (`kubeladder generate netpol-default-deny --namespace NS`), then allow what each workload needs, DNS included.',
  references: [
    { title: 'Kubernetes: default policies', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies' },
    { title: 'CIS Kubernetes Benchmark 5.3.2', cis: '5.3.2' },
  ],
  needs: { kinds: ['NetworkPolicy', 'Namespace'] },
  namespacePolicy: true,
  examples: {
    bad: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
`,
    good: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
  },
  evaluateAll: ({ inventory }) => {
    const policies = new Map<string, typeof inventory.resources>();
    for (const p of inventory.ofKind('NetworkPolicy')) {
      if (p.group !== 'networking.k8s.io' || p.namespace === undefined) continue;
      const list = policies.get(p.namespace) ?? [];
      list.push(p);
      policies.set(p.namespace, list);
    }
    return inventory.namespaces().map((ns): Evaluation => {
      const deny = defaultDeny(policies.get(ns.name) ?? []);
      const missing = (['Ingress', 'Egress'] as const).filter((d) => !deny[d]).map((d) => d.toLowerCase());
      const subject = namespaceSubject(ns);
      if (missing.length === 0) return { subject, violations: [] };
      return {
        subject,
        violations: [
          {
            message: `namespace "${ns.name}" has no default-deny NetworkPolicy for ${missing.join(' or ')}: every pod in it ${missing.length === 2 ? 'accepts and opens' : missing[0] === 'ingress' ? 'accepts' : 'opens'} connections from and to anywhere`,
            remediation: `Apply \`kubeladder generate netpol-default-deny --namespace ${ns.name}\`, then allow what each workload needs.`,
          },
        ],
      };
    });
  },
});
