import { defineCheck, type Evaluation, type Violation } from '../../core/check.js';
import { netpolModelOf, NETPOL_KINDS } from '../../engines/netpol/inventory-model.js';
import { parseCIDR } from '../../engines/netpol/ip.js';
import { formatSelector, policySelects } from '../../engines/netpol/match.js';
import type { NetworkPolicy, PodEndpoint, PolicyPeer, PolicyRule } from '../../engines/netpol/types.js';
import { ENDPOINT_KINDS } from '../../engines/netpol/workloads.js';
import { policyResource, workloadName } from '../netpol-support.js';

/**
 * TCP ports whose service should never face the whole cluster or the internet: each gives a
 * shell, the cluster's data or control of a node to whoever connects, often with weak or no
 * authentication by default.
 */
export const SENSITIVE_PORTS: ReadonlyArray<{ port: number; service: string; why: string }> = [
  { port: 22, service: 'SSH', why: 'a login shell, open to password guessing and stolen keys' },
  { port: 2375, service: 'Docker API', why: 'the unencrypted Docker API: unauthenticated control of the container runtime, root on the node' },
  { port: 2376, service: 'Docker API over TLS', why: 'control of the container runtime, root on the node, for any client certificate it trusts' },
  { port: 2379, service: 'etcd', why: "etcd's client API: every object of the cluster, Secrets included" },
  { port: 2380, service: 'etcd peer', why: "etcd's peer API: joining or disrupting the cluster's datastore" },
  { port: 3306, service: 'MySQL', why: 'a database, reached by anyone who can guess or steal its password' },
  { port: 5432, service: 'PostgreSQL', why: 'a database, reached by anyone who can guess or steal its password' },
  { port: 6379, service: 'Redis', why: 'no authentication by default, and commands that write files' },
  { port: 9200, service: 'Elasticsearch', why: 'its REST API, unauthenticated in many deployments' },
  { port: 27017, service: 'MongoDB', why: 'a database, unauthenticated in many deployments' },
  { port: 10250, service: 'kubelet', why: "the kubelet API: exec into every pod on the node if its authorization is lax" },
  { port: 6443, service: 'Kubernetes API', why: 'the API server (or a proxy of it)' },
  { port: 8080, service: 'HTTP admin/alt', why: "the API server's old insecure port, and the admin consoles of Jenkins, Tomcat and many more" },
];

const SENSITIVE_LIST = SENSITIVE_PORTS.map((s) => s.port).join(', ');

/** Why a peer lets everyone in, or undefined for a narrower one. */
function openPeer(peer: PolicyPeer): string | undefined {
  if (peer.kind === 'ipBlock') {
    if (parseCIDR(peer.cidr)?.prefix !== 0) return undefined;
    return `every address (${peer.path}: ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(', ')}` : ''})`;
  }
  if (peer.namespaceSelector?.length !== 0) return undefined;
  if (peer.podSelector && peer.podSelector.length > 0) return undefined;
  return `every pod of every namespace (${peer.path}: namespaceSelector {}${peer.podSelector ? ', podSelector {}' : ''})`;
}

function openPeers(rule: PolicyRule): string[] {
  if (rule.peers === 'any') return ['anyone (no `from`: every pod of every namespace and every address)'];
  return rule.peers.map(openPeer).filter((x): x is string => x !== undefined);
}

/** The sensitive TCP ports a rule's ports allow, each with how (a number, a range, a named port on a selected pod). */
function sensitiveHits(rule: PolicyRule, selected: readonly PodEndpoint[]): { all: boolean; hits: string[] } {
  if (rule.ports === 'any') return { all: true, hits: [] };
  const hits = new Map<number, string>();
  const name = (port: number) => `${port} (${SENSITIVE_PORTS.find((s) => s.port === port)!.service})`;
  for (const p of rule.ports) {
    if (p.protocol !== 'TCP') continue;
    if (p.kind === 'all') return { all: true, hits: [] };
    if (p.kind === 'range') {
      const spanned = SENSITIVE_PORTS.filter((s) => s.port >= p.from && s.port <= p.to && !hits.has(s.port));
      if (spanned.length === 0) continue;
      if (p.from === p.to) hits.set(p.from, name(p.from));
      else spanned.forEach((s, i) => hits.set(s.port, i === 0 ? `${p.from}-${p.to}, which spans ${name(s.port)}` : name(s.port)));
      continue;
    }
    for (const pod of selected) {
      for (const cp of pod.ports) {
        if (cp.name !== p.name || cp.protocol !== 'TCP' || hits.has(cp.containerPort) || !SENSITIVE_PORTS.some((s) => s.port === cp.containerPort)) continue;
        hits.set(cp.containerPort, `${name(cp.containerPort)} as "${p.name}" on ${workloadName(pod)}`);
      }
    }
  }
  return { all: false, hits: [...hits.values()] };
}

function evaluatePolicy(policy: NetworkPolicy, selected: readonly PodEndpoint[]): Violation[] {
  const out: Violation[] = [];
  const target = policy.podSelector.length === 0 ? `every pod of namespace ${policy.namespace}` : `pods ${formatSelector(policy.podSelector)}`;
  for (const rule of policy.ingress) {
    const open = openPeers(rule);
    if (open.length === 0) continue;
    const { all, hits } = sensitiveHits(rule, selected);
    if (!all && hits.length === 0) continue;
    const listening = all ? [...new Set(selected.flatMap((p) => p.ports.filter((cp) => cp.protocol === 'TCP' && SENSITIVE_PORTS.some((s) => s.port === cp.containerPort)).map((cp) => cp.containerPort)))].sort((a, b) => a - b) : [];
    const what = all
      ? `every TCP port${listening.length ? `, and the selected pods listen on ${listening.map((n) => `${n} (${SENSITIVE_PORTS.find((s) => s.port === n)!.service})`).join(', ')}` : ` (the sensitive ${SENSITIVE_LIST} among them)`}`
      : `${hits.length === 1 ? 'port' : 'ports'} ${hits.join(', ')}`;
    const at = `spec.ingress[${rule.index}]`;
    out.push({
      path: at,
      message: `${at} lets ${open.join(' and ')} connect to ${target} on ${what}`,
      remediation: `Narrow ${at}.from to the clients that need ${all ? 'these ports' : hits.length === 1 ? 'this port' : 'these ports'} (a podSelector, or a namespaceSelector and a podSelector in one peer), or list only the ports meant to be public in ${at}.ports.`,
    });
  }
  return out;
}

export default defineCheck({
  id: 'netpol/ingress-open-sensitive-ports',
  rung: 2,
  severity: 'high',
  title: 'NetworkPolicy opens a sensitive port to everyone',
  rationale: `An ingress rule with no \`from\`, with a peer of \`namespaceSelector: {}\` (every pod of every namespace) or with an ipBlock of 0.0.0.0/0 or ::/0 lets everyone in, and when its ports include SSH, the Docker API, etcd, a database (MySQL, PostgreSQL, Redis, Elasticsearch, MongoDB), the kubelet, the Kubernetes API or 8080 (the API server's old insecure port, Jenkins, Tomcat), the service behind it is one stolen password, or one missing authentication, away from a breach. A rule without \`ports\` allows every port, these included; a named port counts when a selected pod gives that name to a sensitive port; a range (endPort) counts when it spans one. Ports checked: ${SENSITIVE_PORTS.map((s) => `${s.port} (${s.service})`).join(', ')}.`,
  remediation:
    'Replace the open peer with the clients that need the service: a podSelector for pods of the same namespace, or a namespaceSelector and a podSelector in the same peer for another namespace; keep ipBlocks for known address ranges, and list the ports that are meant to be reached.',
  references: [
    { title: 'Kubernetes: NetworkPolicy behavior of to and from selectors', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors' },
    { title: 'Kubernetes: targeting a range of ports', url: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports' },
    { title: 'Kubernetes: ports and protocols', url: 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/' },
  ],
  needs: { kinds: [...NETPOL_KINDS, ...ENDPOINT_KINDS] },
  examples: {
    bad: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres, namespace: shop}
spec:
  podSelector: {matchLabels: {app: postgres}}
  policyTypes: [Ingress]
  ingress:
    - from: [{namespaceSelector: {}}]
      ports: [{port: 5432}]
`,
    good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: postgres, namespace: shop}
spec:
  podSelector: {matchLabels: {app: postgres}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: 5432}]
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = netpolModelOf(inventory);
    return model.policies.flatMap((p): Evaluation[] => {
      const resource = policyResource(inventory, p);
      if (!resource) return [];
      return [{ subject: resource, violations: evaluatePolicy(p, model.pods.filter((pod) => policySelects(p, pod))) }];
    });
  },
});
