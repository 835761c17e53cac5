import { defineCheck, type Evaluation, type Violation } from '../../core/check.js';
import { formatConns, isAllConns, PROTOCOLS, unionConns, NO_CONNS, type ConnSet } from '../../engines/netpol/conns.js';
import { explain } from '../../engines/netpol/evaluate.js';
import { netpolModelOf } from '../../engines/netpol/inventory-model.js';
import { parseIP } from '../../engines/netpol/ip.js';
import { ipBlockContains, isolatingPolicies, ruleConns, ruleMatchesPeer } from '../../engines/netpol/match.js';
import type { NetpolModel } from '../../engines/netpol/model.js';
import type { PodEndpoint } from '../../engines/netpol/types.js';
import { invalidNote, judgedPods, NETPOL_WORKLOAD_KINDS, workloadName } from '../netpol-support.js';

/**
 * The cloud instance metadata service: 169.254.169.254 on AWS, Google Cloud, Azure, Oracle
 * Cloud, OpenStack and DigitalOcean; fd00:ec2::254 on AWS's IPv6 (Nitro) endpoint.
 */
const METADATA_ADDRESSES = [
  { ip: '169.254.169.254', except: '169.254.169.254/32' },
  { ip: 'fd00:ec2::254', except: 'fd00:ec2::254/128' },
] as const;

/** The rules of isolating policies that let `pod` reach `ip`, with the connections each allows, confirmed by the explainer (admin tiers included). */
function allowingRules(model: NetpolModel, pod: PodEndpoint, ip: string): Array<{ policy: string; ruleIndex: number; conns: ConnSet; peers: string[] }> {
  const addr = parseIP(ip)!;
  const out = [];
  for (const p of isolatingPolicies(model.policies, pod, 'Egress')) {
    for (const rule of p.egress) {
      if (!ruleMatchesPeer(rule, p.namespace, { addr }, model.options.ipBlocksMatchPodIPs)) continue;
      const conns = ruleConns(rule, undefined);
      const protocol = PROTOCOLS.find((x) => conns[x].length > 0);
      if (!protocol) continue;
      if (explain(model, pod, { ip }, conns[protocol][0]![0], protocol).verdict !== 'allowed') continue;
      const peers = rule.peers === 'any' ? [] : rule.peers.filter((peer) => peer.kind === 'ipBlock' && ipBlockContains(peer, addr)).map((peer) => peer.path);
      out.push({ policy: p.id, ruleIndex: rule.index, conns, peers });
    }
  }
  return out;
}

function evaluatePod(model: NetpolModel, pod: PodEndpoint): Violation[] {
  if (isolatingPolicies(model.policies, pod, 'Egress').length === 0) {
    // Not isolated: allowed, unless an admin policy denies it (the explainer knows).
    const open = METADATA_ADDRESSES.filter((m) => explain(model, pod, { ip: m.ip }, 80, 'TCP').verdict === 'allowed').map((m) => m.ip);
    if (open.length === 0) return [];
    return [
      {
        message: `${workloadName(pod)} can reach the cloud metadata service (${open.join(', ')}) on any port: no NetworkPolicy isolates its egress${invalidNote(model, pod.namespace)}`,
        remediation: `Give namespace ${pod.namespace} a default deny (\`kubeladder generate netpol-default-deny --namespace ${pod.namespace}\`), then allow only the destinations ${workloadName(pod)} needs; an ipBlock for the internet needs \`except: [169.254.169.254/32]\` (or 169.254.0.0/16).`,
      },
    ];
  }
  // One finding per set of allowing rules: a rule without `to` opens both addresses at once.
  const found = new Map<string, { ips: string[]; excepts: string[]; rules: ReturnType<typeof allowingRules> }>();
  for (const m of METADATA_ADDRESSES) {
    const rules = allowingRules(model, pod, m.ip);
    if (rules.length === 0) continue;
    const key = rules.map((r) => `${r.policy} ${r.ruleIndex} ${r.peers.join(',')}`).join(';');
    const f = found.get(key) ?? { ips: [], excepts: [], rules };
    f.ips.push(m.ip);
    f.excepts.push(m.except);
    found.set(key, f);
  }
  const out: Violation[] = [];
  for (const { ips, excepts, rules } of found.values()) {
    let conns: ConnSet = NO_CONNS;
    for (const r of rules) conns = unionConns(conns, r.conns);
    const via = rules.map((r) => `NetworkPolicy ${r.policy} spec.egress[${r.ruleIndex}]${r.peers.length ? ` (ipBlock at ${r.peers.join(', ')})` : ' (no `to`: every destination)'}`);
    const except = excepts.map((e) => `\`${e}\``).join(' and ');
    const fixes = rules.map((r) =>
      r.peers.length
        ? `add ${except} to ${r.peers.map((p) => `${p}.ipBlock.except`).join(' and ')} of NetworkPolicy ${r.policy}`
        : `give spec.egress[${r.ruleIndex}] of NetworkPolicy ${r.policy} a \`to\` that leaves ${ips.join(' and ')} out (an ipBlock with ${except} in its except, or the pods it means)`,
    );
    out.push({
      message: `${workloadName(pod)} can reach the cloud metadata service at ${ips.join(' and ')} ${isAllConns(conns) ? 'on every port' : `on ${formatConns(conns)}`}: allowed by ${via.join(', ')}`,
      remediation: `${fixes.join('; ').replace(/^./, (c) => c.toUpperCase())}.`,
    });
  }
  return out;
}

export default defineCheck({
  id: 'netpol/metadata-egress',
  rung: 2,
  severity: 'high',
  title: 'Workload can reach the cloud metadata service',
  rationale:
    "On AWS, Google Cloud, Azure and most other clouds, 169.254.169.254 (and fd00:ec2::254 on AWS IPv6) answers any process on the node with the instance's identity and, unless locked down, temporary credentials of the node's cloud role: a server-side request forgery or any code running in a pod turns into cloud API access, the path of many cluster breaches. Egress is open to it when nothing isolates the pod's egress, when a rule has no `to` at all, or when an ipBlock such as 0.0.0.0/0 has no except covering the address. Rules of policies the API server would reject are not counted, and host-network pods are not judged: they are on the node's network, where NetworkPolicy has no defined effect (block the metadata service for them on the node or with the cloud's hop limit).",
  remediation:
    'Add `169.254.169.254/32` (or the whole link-local range `169.254.0.0/16`) to the `except` list of every ipBlock that contains it, give rules without `to` a destination, and give the namespace a default deny for egress. Workloads that need cloud credentials should use the cloud\'s workload identity (IRSA or EKS Pod Identity, GKE Workload Identity, Azure Workload Identity) instead of the node\'s.',
  references: [
    { title: 'Kubernetes: NetworkPolicy ipBlock and except', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource' },
    { title: 'AWS: instance metadata service (IMDS)', url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html' },
    { title: 'AWS EKS best practices: restrict access to the instance profile', url: 'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_identities_and_credentials_for_eks_pods' },
    { title: 'Google Cloud: protect cluster metadata (GKE)', url: 'https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata' },
    { title: 'Azure: instance metadata service', url: 'https://learn.microsoft.com/en-us/azure/virtual-machines/instance-metadata-service' },
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
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
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
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = netpolModelOf(inventory);
    return judgedPods(model, inventory).map((pod): Evaluation => ({ subject: pod.resource, violations: evaluatePod(model, pod) }));
  },
});
