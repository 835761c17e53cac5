import { defineCheck, type Evaluation, type Violation } from '../../core/check.js';
import { namespaceSubject } from '../../core/subjects.js';
import { explain } from '../../engines/netpol/evaluate.js';
import { netpolModelOf } from '../../engines/netpol/inventory-model.js';
import { isolatingPolicies } from '../../engines/netpol/match.js';
import type { NetpolModel } from '../../engines/netpol/model.js';
import type { PodEndpoint } from '../../engines/netpol/types.js';
import { judgedPods, NETPOL_WORKLOAD_KINDS, workloadName, type JudgedPod } from '../netpol-support.js';

/** Cluster DNS as the usual manifests run it: CoreDNS in kube-system, labelled k8s-app=kube-dns, serving `dns` (UDP 53) and `dns-tcp` (TCP 53). */
const KUBE_DNS: PodEndpoint = {
  namespace: 'kube-system',
  name: 'kube-dns',
  kind: 'Deployment',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
  ],
  hostNetwork: false,
};

/**
 * Addresses pods send DNS to when a plugin matches ipBlocks after service translation, or with
 * NodeLocal DNSCache: the kube-dns Service's usual ClusterIPs (kubeadm and kind, EKS, AKS) and
 * NodeLocal DNSCache's link-local address. An ipBlock of 0.0.0.0/0 covers them all.
 */
const DNS_ADDRESSES = ['10.96.0.10', '10.100.0.10', '172.20.0.10', '10.0.0.10', '169.254.20.10'];

function reachesDns(model: NetpolModel, pod: PodEndpoint, protocol: 'UDP' | 'TCP'): boolean {
  const servers = [KUBE_DNS, ...model.pods.filter((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns' && !p.hostNetwork)];
  return servers.some((dns) => explain(model, pod, dns, 53, protocol).egress.allowed) || DNS_ADDRESSES.some((ip) => explain(model, pod, { ip }, 53, protocol).egress.allowed);
}

function listPods(pods: readonly JudgedPod[], model: NetpolModel): string {
  const by = [...new Set(pods.flatMap((p) => isolatingPolicies(model.policies, p, 'Egress').map((x) => x.id)))];
  return `${pods.map(workloadName).join(', ')} (egress isolated by ${by.join(', ')})`;
}

export default defineCheck({
  id: 'netpol/dns-egress-blocked',
  rung: 2,
  severity: 'medium',
  title: 'Egress-isolated workloads cannot reach DNS',
  rationale:
    "Once a NetworkPolicy isolates a pod's egress (a default deny does so for the whole namespace), only what a rule allows gets out, and name lookups are no exception: without a rule allowing UDP 53 to cluster DNS, every Service name fails to resolve and the workload breaks in ways that look like anything but a policy. Teams then delete the default deny, or add an allow-all egress rule, and lose the isolation. TCP 53 is needed as well: answers too large for UDP are retried over TCP. A rule counts when it allows port 53 to kube-system pods labelled k8s-app=kube-dns (CoreDNS as usually deployed), to every namespace, or to an address cluster DNS may have (an ipBlock such as 0.0.0.0/0, or NodeLocal DNSCache's 169.254.20.10). Host-network workloads are not judged.",
  remediation:
    'Add an egress policy that selects every pod of the namespace and allows UDP and TCP 53 to kube-system pods labelled k8s-app=kube-dns: `kubeladder generate netpol-allow-dns --namespace NS` writes it.',
  references: [
    { title: 'Kubernetes: default deny all egress traffic', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic' },
    { title: 'Kubernetes: DNS for Services and Pods', url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/' },
    { title: 'Kubernetes: the NetworkPolicy resource (namespaceSelector and podSelector)', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors' },
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
      containers: [{name: api, image: registry.example.com/api:1.4.2}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: registry.example.com/api:1.4.2}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports:
        - {protocol: UDP, port: 53}
        - {protocol: TCP, port: 53}
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = netpolModelOf(inventory);
    const pods = judgedPods(model, inventory);
    return inventory.namespaces().flatMap((ns): Evaluation[] => {
      const here = pods.filter((p) => p.namespace === ns.name);
      if (here.length === 0) return [];
      const isolated = here.filter((p) => isolatingPolicies(model.policies, p, 'Egress').length > 0);
      const noUdp = isolated.filter((p) => !reachesDns(model, p, 'UDP'));
      const noTcp = isolated.filter((p) => !noUdp.includes(p) && !reachesDns(model, p, 'TCP'));
      const fix = `Apply \`kubeladder generate netpol-allow-dns --namespace ${ns.name}\` (egress to kube-system pods k8s-app=kube-dns on UDP and TCP 53 for every pod of the namespace).`;
      const violations: Violation[] = [];
      if (noUdp.length > 0) {
        violations.push({
          message: `${listPods(noUdp, model)}: no rule allows UDP 53 to kube-dns (kube-system pods k8s-app=kube-dns), to every namespace or to a cluster DNS address, so ${noUdp.length === 1 ? 'it cannot' : 'they cannot'} resolve names`,
          remediation: fix,
        });
      }
      if (noTcp.length > 0) {
        violations.push({
          message: `${listPods(noTcp, model)}: DNS is allowed over UDP 53 but not TCP 53, so lookups whose answers are too large for UDP fail`,
          remediation: fix,
        });
      }
      return [{ subject: namespaceSubject(ns), violations }];
    });
  },
});
