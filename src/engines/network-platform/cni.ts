/**
 * Which network plugin (CNI) a cluster runs, and whether it enforces NetworkPolicy. Kubernetes
 * stores NetworkPolicies whatever the plugin, but only some plugins enforce them: under flannel
 * alone, or the AWS VPC CNI without its policy agent, every policy is decoration.
 *
 * Recognised from the DaemonSets and Deployments of the namespaces CNIs install into (their
 * names, container names, images and arguments) and a few ConfigMaps. The table is data: one
 * entry per plugin, each saying how it is recognised and how its enforcement is decided.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';
import { parseImage } from '../images/reference.js';
import { containersOf, podSpecOf } from '../workloads/pod-specs.js';

/** The namespaces network plugins install their agents into. */
export const CNI_NAMESPACES: readonly string[] = ['kube-system', 'calico-system', 'cilium', 'tigera-operator', 'kube-flannel'];

/** A DaemonSet or Deployment as the table looks at it. */
export interface AgentView {
  resource: Resource;
  name: string;
  namespace: string;
  containers: Array<{ name: string; image: string; repository: string; args: string[] }>;
}

export type Enforcement = 'enforces' | 'does-not-enforce' | 'unknown';

export interface CniVerdict {
  enforcement: Enforcement;
  /** Why, as a clause: "its policy agent runs with --enable-network-policy=true". */
  why: string;
}

export interface CniEntry {
  id: string;
  /** As people name it. */
  name: string;
  /** Whether the DaemonSet or Deployment is this plugin's agent. */
  recognise(a: AgentView): boolean;
  /** Whether this agent enforces NetworkPolicy. */
  verdict(a: AgentView, inventory: Inventory): CniVerdict;
}

/** The last path component of an image repository: `calico/node` -> `node`. */
const base = (repository: string): string => repository.slice(repository.lastIndexOf('/') + 1);
const hasContainer = (a: AgentView, name: string): boolean => a.containers.some((c) => c.name === name);
const hasImage = (a: AgentView, test: (repository: string) => boolean): boolean => a.containers.some((c) => test(c.repository));
const hasArg = (a: AgentView, re: RegExp): boolean => a.containers.some((c) => c.args.some((x) => re.test(x)));
const enforces = (why: string): CniVerdict => ({ enforcement: 'enforces', why });
const doesNot = (why: string): CniVerdict => ({ enforcement: 'does-not-enforce', why });

/** A ConfigMap's data value, when the inventory holds the ConfigMap. */
function configValue(inventory: Inventory, namespace: string, name: string, key: string): string | undefined {
  const data = inventory.find('', 'ConfigMap', namespace, name)?.obj.data as Record<string, unknown> | undefined;
  const v = data?.[key];
  return typeof v === 'string' ? v.trim() : undefined;
}

/**
 * The plugins, policy engines first: a cluster running flannel for routing and Calico for policy
 * (Canal, or both installed side by side) enforces policies.
 */
export const CNI_TABLE: readonly CniEntry[] = [
  {
    // Canal (Calico policy on flannel networking): the DaemonSet `canal`, or one pod running both a calico-node and a flannel container.
    id: 'canal',
    name: 'Canal (Calico policy with flannel networking)',
    recognise: (a) => a.name === 'canal' || (hasContainer(a, 'calico-node') && (hasContainer(a, 'kube-flannel') || hasImage(a, (r) => base(r) === 'flannel'))),
    verdict: () => enforces("Calico's Felix enforces NetworkPolicy"),
  },
  {
    // Calico: the calico-node DaemonSet (manifest installs in kube-system, the Tigera operator's in calico-system), by name, container name or a calico/node image.
    id: 'calico',
    name: 'Calico',
    recognise: (a) => a.name === 'calico-node' || hasContainer(a, 'calico-node') || hasImage(a, (r) => /(^|\/)calico\/node$/.test(r)),
    verdict: () => enforces("Calico's Felix enforces NetworkPolicy"),
  },
  {
    // Calico through the Tigera operator: the tigera-operator Deployment (its calico-node DaemonSet lives in calico-system).
    id: 'tigera-operator',
    name: 'Calico (Tigera operator)',
    recognise: (a) => a.resource.kind === 'Deployment' && (a.name === 'tigera-operator' || hasImage(a, (r) => /(^|\/)tigera\/operator$/.test(r))),
    verdict: () => enforces('the Tigera operator installs Calico, which enforces NetworkPolicy'),
  },
  {
    // GKE Dataplane V2: the anetd DaemonSet in kube-system (Google's build of Cilium).
    id: 'gke-dataplane-v2',
    name: 'GKE Dataplane V2',
    recognise: (a) => a.resource.kind === 'DaemonSet' && a.name === 'anetd',
    verdict: () => enforces('Dataplane V2 always enforces NetworkPolicy'),
  },
  {
    // Cilium (self-managed, or Azure CNI powered by Cilium on AKS): the cilium agent DaemonSet, by name or a cilium/cilium image (not the operator or Envoy).
    id: 'cilium',
    name: 'Cilium',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'cilium' || a.name === 'cilium-agent' || hasImage(a, (r) => /(^|\/)cilium\/cilium(-distroless)?$/.test(r))),
    verdict: (a, inventory) => {
      // The agent's policy enforcement mode: `never` turns enforcement off altogether.
      const mode = configValue(inventory, a.namespace, 'cilium-config', 'enable-policy');
      return mode === 'never' ? doesNot(`ConfigMap ${a.namespace}/cilium-config sets enable-policy: never`) : enforces('the Cilium agent enforces NetworkPolicy');
    },
  },
  {
    // Azure Network Policy Manager: the azure-npm DaemonSet in kube-system (AKS --network-policy azure).
    id: 'azure-npm',
    name: 'Azure Network Policy Manager',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'azure-npm' || a.name === 'azure-npm-win' || hasImage(a, (r) => base(r) === 'azure-npm')),
    verdict: () => enforces('Azure NPM enforces NetworkPolicy'),
  },
  {
    // Antrea: the antrea-agent DaemonSet, by name or an antrea-agent / antrea-ubuntu image.
    id: 'antrea',
    name: 'Antrea',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'antrea-agent' || hasImage(a, (r) => /^antrea-(agent|ubuntu)/.test(base(r)))),
    verdict: () => enforces('the Antrea agent enforces NetworkPolicy'),
  },
  {
    // Weave Net: the weave-net DaemonSet or a weaveworks/weave-kube image; policies are the weave-npc container's job.
    id: 'weave-net',
    name: 'Weave Net',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'weave-net' || hasImage(a, (r) => base(r) === 'weave-kube')),
    verdict: (a) => (hasContainer(a, 'weave-npc') || hasImage(a, (r) => base(r) === 'weave-npc') ? enforces('its weave-npc container enforces NetworkPolicy') : doesNot('it runs without the weave-npc container, which enforces NetworkPolicy')),
  },
  {
    // kube-router: the kube-router DaemonSet or image; it enforces policies unless started with --run-firewall=false.
    id: 'kube-router',
    name: 'kube-router',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'kube-router' || hasImage(a, (r) => base(r) === 'kube-router')),
    verdict: (a) => (hasArg(a, /^--run-firewall(=false|=0)$/) ? doesNot('it runs with --run-firewall=false, which turns its NetworkPolicy firewall off') : enforces('its firewall (--run-firewall, on by default) enforces NetworkPolicy')),
  },
  {
    // kube-network-policies (sig-network's standalone enforcer): its DaemonSet or image.
    id: 'kube-network-policies',
    name: 'kube-network-policies',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'kube-network-policies' || hasImage(a, (r) => base(r) === 'kube-network-policies')),
    verdict: () => enforces('kube-network-policies enforces NetworkPolicy'),
  },
  {
    // AWS VPC CNI: the aws-node DaemonSet (amazon-k8s-cni image); policies need its aws-network-policy-agent container started with --enable-network-policy=true (false by default).
    id: 'aws-vpc-cni',
    name: 'AWS VPC CNI',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'aws-node' || hasImage(a, (r) => base(r) === 'amazon-k8s-cni')),
    verdict: (a) => {
      if (hasArg(a, /^--enable-network-policy=true$/)) return enforces('its aws-network-policy-agent container runs with --enable-network-policy=true');
      const agent = a.containers.some((c) => c.name === 'aws-network-policy-agent' || c.name === 'aws-eks-nodeagent' || base(c.repository) === 'aws-network-policy-agent');
      return agent
        ? doesNot('its aws-network-policy-agent container runs without --enable-network-policy=true (the default is false)')
        : doesNot('it runs without the aws-network-policy-agent container (VPC CNI v1.14 and later, with --enable-network-policy=true)');
    },
  },
  {
    // Azure CNI without a policy engine: the azure-cns DaemonSet with neither azure-npm nor Cilium beside it.
    id: 'azure-cni',
    name: 'Azure CNI',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'azure-cns' || a.name === 'azure-cni'),
    verdict: () => doesNot('Azure CNI itself does not enforce NetworkPolicy (AKS needs --network-policy azure, calico or cilium)'),
  },
  {
    // kindnet (kind's CNI): the kindnet DaemonSet or a kindnetd image. kind v0.24 and later embed kube-network-policies, older ones enforce nothing: the object does not say which.
    id: 'kindnet',
    name: 'kindnet',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (a.name === 'kindnet' || hasImage(a, (r) => base(r) === 'kindnetd')),
    verdict: () => ({ enforcement: 'unknown', why: 'kindnetd enforces NetworkPolicy only in recent releases (kind v0.24 and later embed kube-network-policies); which one runs cannot be told from the DaemonSet' }),
  },
  {
    // flannel: the kube-flannel(-ds) DaemonSet or a flannel image; it only routes, and enforces no policy.
    id: 'flannel',
    name: 'flannel',
    recognise: (a) => a.resource.kind === 'DaemonSet' && (/^kube-flannel(-ds)?(-amd64)?$/.test(a.name) || hasImage(a, (r) => base(r) === 'flannel' || base(r) === 'mirrored-flannelcni-flannel')),
    verdict: () => doesNot('flannel only routes pod traffic and enforces no NetworkPolicy'),
  },
];

export interface DetectedCni {
  entry: CniEntry;
  agent: AgentView;
  verdict: CniVerdict;
}

function viewOf(r: Resource): AgentView | undefined {
  const pod = podSpecOf(r);
  if (!pod || r.namespace === undefined) return undefined;
  const containers = containersOf(pod)
    .filter((c) => c.list !== 'ephemeralContainers')
    .map(({ container: c }) => {
      const image = typeof c.image === 'string' ? c.image : '';
      const args = [c.command, c.args].flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
      return { name: c.name ?? '', image, repository: image ? parseImage(image).repository : '', args };
    });
  return { resource: r, name: r.name, namespace: r.namespace, containers };
}

/** The agents of known plugins in the CNI namespaces, in table order (policy engines first). */
export function detectCni(inventory: Inventory): DetectedCni[] {
  const agents = (['DaemonSet', 'Deployment'] as const)
    .flatMap((k) => inventory.ofKind(k))
    .filter((r) => r.group === 'apps' && r.namespace !== undefined && CNI_NAMESPACES.includes(r.namespace))
    .map(viewOf)
    .filter((a): a is AgentView => a !== undefined);
  const out: DetectedCni[] = [];
  const taken = new Set<Resource>();
  for (const entry of CNI_TABLE) {
    for (const agent of agents) {
      if (taken.has(agent.resource) || !entry.recognise(agent)) continue;
      taken.add(agent.resource);
      out.push({ entry, agent, verdict: entry.verdict(agent, inventory) });
    }
  }
  return out;
}
