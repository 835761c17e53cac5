import { defineCheck } from '../../core/check.js';
import { apiserverEndpoints } from '../../engines/network-platform/apiserver.js';
import { explain } from '../../engines/netpol/evaluate.js';
import { netpolModelOf, NETPOL_KINDS } from '../../engines/netpol/inventory-model.js';
import { ENDPOINT_KINDS } from '../../engines/netpol/workloads.js';
import { isTopLevel } from '../../engines/workloads/owners.js';
import { podSpecOf } from '../../engines/workloads/pod-specs.js';
import { podServiceAccount, tokenSource } from '../../engines/workloads/service-accounts.js';

export default defineCheck({
  id: 'netpol/apiserver-reachable',
  rung: 2,
  severity: 'medium',
  title: 'Workload without API access can still reach the API server',
  rationale:
    "A workload that mounts no service account token has no business with the API server, yet whoever takes one of its containers can still probe it: anonymous requests, unauthenticated endpoints, the next API server vulnerability, a token stolen elsewhere. Its egress should not reach it. NetworkPolicy sees a pod's connection after Service address translation: the pod dials the `kubernetes` Service's ClusterIP, but the policy is matched against the endpoint the node rewrote it to, the API servers' own addresses (often on port 6443), so those are what this check asks the NetworkPolicy engine about (from the `kubernetes` Service's EndpointSlices in `default` on a cluster read, or `scan --apiserver-address IP[:PORT]`, 443 and 6443 when no port is given; without either it is not assessed). Network plugins differ here: some also match the ClusterIP, some need the node or endpoint IP in an ipBlock, and Cilium identifies the API server as its `kube-apiserver` entity rather than by address; confirm a verdict on your plugin. Workloads that mount a token are not reported: they may need the API.",
  remediation:
    'Give the workload an egress NetworkPolicy that allows only what it needs (DNS, its own dependencies). If it must reach wide address ranges, list the API server endpoint addresses in the ipBlock `except` (Cilium: do not allow the `kube-apiserver` entity).',
  references: [
    { title: 'Kubernetes: network policies (targeting the API server, what policies cannot do)', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#what-you-can-t-do-with-network-policies-at-least-not-yet' },
    { title: 'Kubernetes: controlling access to the API server', url: 'https://kubernetes.io/docs/concepts/security/controlling-access/' },
    { title: 'Cilium: entities-based policy (kube-apiserver)', url: 'https://docs.cilium.io/en/stable/security/policy/language/#entities-based' },
  ],
  needs: { kinds: [...ENDPOINT_KINDS, ...NETPOL_KINDS, 'ServiceAccount', 'EndpointSlice'], inputs: ['apiserver-address'] },
  kinds: ENDPOINT_KINDS,
  appliesTo: (r, { inventory }) => isTopLevel(r, inventory),
  examples: {
    bad: `# kubeladder: --apiserver-address 172.18.0.2:6443
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: web
          image: registry.example.com/frontend:2.1.0
`,
    good: `# kubeladder: --apiserver-address 172.18.0.2:6443
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      automountServiceAccountToken: false
      containers:
        - name: web
          image: registry.example.com/frontend:2.1.0
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [172.18.0.2/32]}}]
      ports: [{port: 443}]
`,
  },
  evaluate: (r, { inventory }) => {
    const pod = podSpecOf(r);
    if (!pod || pod.spec.hostNetwork === true) return [];
    const account = podServiceAccount(pod.spec);
    if (tokenSource(pod.spec, inventory.find('', 'ServiceAccount', r.namespace ?? 'default', account))) return [];
    const model = netpolModelOf(inventory);
    const endpoint = model.pods.find((p) => p.resource === r);
    if (!endpoint) return [];
    const reached: string[] = [];
    let reason = '';
    for (const ep of apiserverEndpoints(inventory) ?? []) {
      for (const port of ep.ports) {
        const e = explain(model, endpoint, { ip: ep.ip }, port, 'TCP');
        if (e.verdict !== 'allowed') continue;
        reached.push(ep.ip.includes(':') ? `[${ep.ip}]:${port}` : `${ep.ip}:${port}`);
        reason ||= e.reason;
      }
    }
    if (reached.length === 0) return [];
    const policy = endpoint.labels && Object.keys(endpoint.labels).length ? `podSelector ${JSON.stringify({ matchLabels: endpoint.labels })}` : 'a podSelector for it';
    return [
      {
        path: pod.path,
        message: `mounts no service account token, yet its egress reaches the API server at ${reached.join(', ')}: ${reason}`,
        remediation: `Add an egress NetworkPolicy in ${r.namespace ?? 'default'} with ${policy} and \`policyTypes: [Egress]\` allowing only what the workload needs; where it allows wide ranges, add the API server addresses to the ipBlock \`except\` (${[...new Set(reached.map((a) => a.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')))].map((ip) => `${ip}/${ip.includes(':') ? 128 : 32}`).join(', ')}).`,
      },
    ];
  },
});
