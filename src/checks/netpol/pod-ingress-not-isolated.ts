import { defineCheck } from '../../core/check.js';
import { netpolModelOf } from '../../engines/netpol/inventory-model.js';
import { NETPOL_WORKLOAD_KINDS, notIsolated } from '../netpol-support.js';

export default defineCheck({
  id: 'netpol/pod-ingress-not-isolated',
  rung: 2,
  severity: 'medium',
  title: 'Workload not isolated for ingress',
  rationale:
    'A pod that no NetworkPolicy selects with Ingress in its policyTypes accepts connections from every pod of every namespace, and from any address that can route to the pod network, on every port it listens on: a debug endpoint, a metrics port or an admin API is open to whoever compromises any pod in the cluster. A policy that selects the pod for egress only (policyTypes defaults to [Ingress] only when it is left out, so the reverse mistake is common with explicit lists) does not isolate its ingress. Policies the API server would reject are not counted. A pod that an AdminNetworkPolicy or BaselineAdminNetworkPolicy restricts with Deny rules is not reported. Host-network pods are not judged: they share the node\'s network, and NetworkPolicy does not define what happens to their traffic.',
  remediation:
    'Add a default deny to the namespace (`kubeladder generate netpol-default-deny --namespace NS`) or a NetworkPolicy whose podSelector matches the workload with `Ingress` in policyTypes, then allow only the clients and ports it needs.',
  references: [
    { title: 'Kubernetes: the two sorts of pod isolation', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation' },
    { title: 'Kubernetes: default deny all ingress traffic', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic' },
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
          ports: [{name: http, containerPort: 8080}]
---
# Selects the api, but for egress only: its ingress stays open.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {app: postgres}}}]
      ports: [{port: 5432}]
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
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [{port: http}]
  egress:
    - to: [{podSelector: {matchLabels: {app: postgres}}}]
      ports: [{port: 5432}]
`,
  },
  evaluateAll: ({ inventory }) => notIsolated('Ingress', inventory, netpolModelOf(inventory)),
});
