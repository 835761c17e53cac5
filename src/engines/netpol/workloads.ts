/**
 * The endpoints NetworkPolicy connects, read from manifests: Pods, and workloads standing for the
 * pods their template makes (labels and container ports from the template), plus namespaces with
 * their labels. A workload whose controlling owner is also in the input (a ReplicaSet of a listed
 * Deployment, a Pod of a listed ReplicaSet) is its owner's pods, and is not counted again.
 */
import { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';
import { isTopLevel } from '../workloads/owners.js';
import { POD_KINDS, podSpecOf } from '../workloads/pod-specs.js';
import { isProtocol } from './conns.js';
import type { ContainerPort, PodEndpoint } from './types.js';

/** Kinds whose pods NetworkPolicy governs: every pod-carrying kind but PodTemplate, which makes no pods by itself. */
export const ENDPOINT_KINDS: readonly string[] = POD_KINDS.filter((k) => k !== 'PodTemplate');

/** The label every namespace carries, immutably, since Kubernetes 1.21. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamespaceInfo {
  name: string;
  labels: Readonly<Record<string, string>>;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  }
  return out;
}

/** A namespace's labels with the immutable name label added. */
export function namespaceLabels(name: string, labels: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...labels, [NAMESPACE_NAME_LABEL]: name };
}

export function namespacesFromResources(resources: readonly Resource[]): NamespaceInfo[] {
  return resources.filter((r) => r.kind === 'Namespace' && r.apiVersion === 'v1').map((r) => ({ name: r.name, labels: namespaceLabels(r.name, stringMap(r.obj.metadata?.labels)) }));
}

function containerPorts(containers: unknown, sidecarsOnly: boolean): ContainerPort[] {
  if (!Array.isArray(containers)) return [];
  const out: ContainerPort[] = [];
  for (const c of containers) {
    if (typeof c !== 'object' || c === null) continue;
    const ct = c as { ports?: unknown; restartPolicy?: unknown };
    // Only init containers that keep running (sidecars) serve ports.
    if (sidecarsOnly && ct.restartPolicy !== 'Always') continue;
    if (!Array.isArray(ct.ports)) continue;
    for (const p of ct.ports) {
      if (typeof p !== 'object' || p === null) continue;
      const { name, containerPort, protocol } = p as { name?: unknown; containerPort?: unknown; protocol?: unknown };
      if (typeof containerPort !== 'number') continue;
      const proto = protocol === undefined || protocol === null ? 'TCP' : protocol;
      if (!isProtocol(proto)) continue;
      const port: ContainerPort = { containerPort, protocol: proto };
      if (typeof name === 'string' && name) port.name = name;
      out.push(port);
    }
  }
  return out;
}

function podIPs(r: Resource): string[] | undefined {
  if (r.kind !== 'Pod') return undefined;
  const status = r.obj.status as { podIP?: unknown; podIPs?: unknown } | undefined;
  if (!status) return undefined;
  const ips = new Set<string>();
  if (typeof status.podIP === 'string' && status.podIP) ips.add(status.podIP);
  if (Array.isArray(status.podIPs)) {
    for (const p of status.podIPs) {
      const ip = (p as { ip?: unknown } | null)?.ip;
      if (typeof ip === 'string' && ip) ips.add(ip);
    }
  }
  return ips.size > 0 ? [...ips] : undefined;
}

/**
 * One endpoint per Pod or pod-making workload of `resources`, skipping those whose controlling
 * owner is in `resources` too. Objects without a namespace are taken to be in `defaultNamespace`.
 */
export function podsFromResources(resources: readonly Resource[], defaultNamespace = 'default'): PodEndpoint[] {
  const workloads = resources.filter((r) => ENDPOINT_KINDS.includes(r.kind));
  // The scan's own rule for which objects people write (src/engines/workloads/owners.ts).
  const present = new Inventory();
  for (const r of workloads) present.add(r);
  const out: PodEndpoint[] = [];
  for (const r of workloads) {
    if (!isTopLevel(r, present)) continue;
    const pod = podSpecOf(r);
    if (!pod) continue;
    const endpoint: PodEndpoint = {
      namespace: r.namespace ?? defaultNamespace,
      name: r.name,
      kind: r.kind,
      labels: stringMap(pod.metadata.labels),
      ports: [...containerPorts(pod.spec.containers, false), ...containerPorts(pod.spec.initContainers, true)],
      hostNetwork: pod.spec.hostNetwork === true,
    };
    const ips = podIPs(r);
    if (ips) endpoint.ips = ips;
    endpoint.resource = r;
    out.push(endpoint);
  }
  return out;
}
