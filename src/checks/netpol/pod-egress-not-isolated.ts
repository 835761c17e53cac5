import { defineCheck } from '../../core/check.js';
import { netpolModelOf } from '../../engines/netpol/inventory-model.js';
import { NETPOL_WORKLOAD_KINDS, notIsolated } from '../netpol-support.js';

export default defineCheck({
  id: 'netpol/pod-egress-not-isolated',
  rung: 2,
  severity: 'medium',
  title: 'Workload not isolated for egress',
  rationale:
    "A pod that no NetworkPolicy selects with Egress in its policyTypes may open connections to every pod of every namespace, the API server, the nodes' kubelets, the cloud metadata service (and the node's cloud credentials behind it) and anywhere on the internet: whoever gets code running in it can move sideways and send data out unhindered. A policy without policyTypes isolates egress only when it has egress rules, so an ingress-only policy leaves egress open. Policies the API server would reject are not counted. A pod that an AdminNetworkPolicy or BaselineAdminNetworkPolicy restricts with Deny rules is not reported. Host-network pods are not judged: they share the node's network, and NetworkPolicy does not define what happens to their traffic.",
  remediation:
    'Add a default deny to the namespace (`kubeladder generate netpol-default-deny --namespace NS`) or a NetworkPolicy whose podSelector matches the workload with `Egress` in policyTypes, then allow only the destinations it needs, DNS included (`kubeladder generate netpol-allow-dns --namespace NS`).',
  references: [
    { title: 'Kubernetes: the two sorts of pod isolation', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation' },
    { title: 'Kubernetes: default deny all egress traffic', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic' },
    { title: 'CIS Kubernetes Benchmark 5.3.2', cis: '5.3.2' },
  ],
  needs: { kinds: NETPOL_WORKLOAD_KINDS },
  namespacePolicy: true,
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
          image: registry.example.com/api:1.4.2
---
# No policyTypes and no egress rules: it isolates ingress only.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
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
          image: registry.example.com/api:1.4.2
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
  egress:
    - to: [{podSelector: {matchLabels: {app: postgres}}}]
      ports: [{port: 5432}]
`,
  },
  evaluateAll: ({ inventory }) => notIsolated('Egress', inventory, netpolModelOf(inventory)),
});
