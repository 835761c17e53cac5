import { defineCheck, type Evaluation } from '../../core/check.js';
import { namespaceSubject } from '../../core/subjects.js';
import { CNI_NAMESPACES, CNI_TABLE, detectCni, type DetectedCni } from '../../engines/network-platform/cni.js';

const known = CNI_TABLE.map((e) => e.name).join(', ');

const describe = (d: DetectedCni): string => `${d.entry.name} (${d.agent.resource.display})`;

export default defineCheck({
  id: 'cluster/cni-network-policy',
  rung: 2,
  severity: 'critical',
  title: 'Network plugin does not enforce NetworkPolicy',
  rationale: `Kubernetes stores NetworkPolicies whatever the network plugin, but only the plugin enforces them, and some do not: flannel alone, the AWS VPC CNI without its network policy agent, kube-router with its firewall off, Azure CNI without a policy engine. There every policy, default denies included, is decoration, and every pod still reaches every other. Judged once per cluster from the plugins' agents in ${CNI_NAMESPACES.join(', ')} (their DaemonSets and Deployments, by name, container and image, and their ConfigMaps): ${known}. A cluster whose plugin is not recognised fails too, since nothing shows that its policies are enforced. Needs a cluster read: manifests rarely hold the cluster's own add-ons.`,
  remediation:
    'Run a plugin that enforces NetworkPolicy: Calico, Cilium, Antrea or an equivalent; on flannel, add Calico for policy (Canal); on EKS, start the VPC CNI with its network policy agent (`--enable-network-policy=true`, the add-on setting `enableNetworkPolicy: "true"`); on AKS, create the cluster with `--network-policy azure|calico|cilium`; on GKE, use Dataplane V2 or enable network policy enforcement. Then check a default deny really blocks traffic.',
  references: [
    { title: 'Kubernetes: network policies (prerequisites)', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites' },
    { title: 'Amazon EKS: restrict pod traffic with Kubernetes network policies', url: 'https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html' },
    { title: 'AKS: secure traffic between pods with network policies', url: 'https://learn.microsoft.com/en-us/azure/aks/use-network-policies' },
    { title: 'GKE Dataplane V2', url: 'https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2' },
    { title: 'kube-router: user guide (--run-firewall)', url: 'https://www.kube-router.io/docs/user-guide/' },
  ],
  needs: { kinds: ['DaemonSet', 'Deployment', 'ConfigMap', 'Namespace'], inputs: ['cluster'] },
  examples: {
    bad: `# kubeladder: --input cluster
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kube-flannel-ds, namespace: kube-flannel}
spec:
  selector: {matchLabels: {app: flannel}}
  template:
    metadata: {labels: {app: flannel}}
    spec:
      hostNetwork: true
      containers:
        - name: kube-flannel
          image: docker.io/flannel/flannel:v0.26.4
          args: [--ip-masq, --kube-subnet-mgr]
`,
    good: `# kubeladder: --input cluster
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: calico-node, namespace: calico-system}
spec:
  selector: {matchLabels: {k8s-app: calico-node}}
  template:
    metadata: {labels: {k8s-app: calico-node}}
    spec:
      hostNetwork: true
      containers:
        - name: calico-node
          image: docker.io/calico/node:v3.29.2
`,
  },
  evaluateAll: ({ inventory }): Evaluation[] => {
    const found = detectCni(inventory);
    const enforcing = found.find((d) => d.verdict.enforcement === 'enforces');
    if (enforcing) return [{ subject: enforcing.agent.resource, violations: [] }];
    const unknown = found.find((d) => d.verdict.enforcement === 'unknown');
    const first = unknown ?? found[0];
    if (first) {
      const others = found.filter((d) => d !== first);
      const also = others.length ? `; also found: ${others.map((d) => `${describe(d)}, which ${d.verdict.why}`).join('; ')}` : '';
      return [
        {
          subject: first.agent.resource,
          violations: [
            {
              message: unknown
                ? `the network plugin is ${describe(first)}: whether it enforces NetworkPolicy is unknown (${first.verdict.why})${also}; confirm that a default deny blocks traffic`
                : `the network plugin is ${describe(first)}, which does not enforce NetworkPolicy: ${first.verdict.why}${also}. Every NetworkPolicy in this cluster is decoration`,
            },
          ],
        },
      ];
    }
    // Nothing recognised: a read of some namespaces only may just not have listed the plugin's.
    if (!inventory.namespaceListed('kube-system')) return [];
    const ns = inventory.namespaces().find((n) => n.name === 'kube-system') ?? { name: 'kube-system' };
    return [
      {
        subject: namespaceSubject(ns),
        violations: [
          {
            message: `network plugin not recognised: NetworkPolicies may be decoration. No DaemonSet or Deployment in ${CNI_NAMESPACES.join(', ')} is the agent of a plugin kubeladder knows (${known}); check that yours enforces NetworkPolicy`,
          },
        ],
      },
    ];
  },
});
