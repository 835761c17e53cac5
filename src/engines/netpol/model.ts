/**
 * Everything a NetworkPolicy question is answered from, gathered once: the valid policies, the
 * invalid ones with their reasons, the namespaces with their labels and the pod endpoints. Plain
 * data in, plain data out; `modelFromResources` builds it from manifests.
 */
import type { Resource } from '../../core/resource.js';
import { parseAdminPolicy, type AdminPolicy } from './admin.js';
import { parseNetworkPolicy } from './parse.js';
import type { InvalidPolicy, NetworkPolicy, PodEndpoint } from './types.js';
import { namespaceLabels, namespacesFromResources, podsFromResources, type NamespaceInfo } from './workloads.js';

export interface ModelOptions {
  /**
   * Whether an ipBlock peer may match a pod, by the pod's known IPs (`PodEndpoint.ips`).
   *
   * The NetworkPolicy API says ipBlocks are meant for cluster-external IPs and leaves it to the
   * network plugin whether they match pod IPs (traffic to and from pods may be rewritten, and pod
   * IPs are ephemeral). Default `false`: traffic between pods is matched by selectors only, and
   * ipBlocks match only external addresses. With `true`, an ipBlock also matches a pod with a
   * known IP inside it (any of its IPs); pods without known IPs are still matched by selectors only.
   */
  ipBlocksMatchPodIPs?: boolean;
}

export interface NetpolModel {
  policies: readonly NetworkPolicy[];
  /** Valid AdminNetworkPolicies by precedence (priority, then name), then the BaselineAdminNetworkPolicy. */
  admin: readonly AdminPolicy[];
  invalid: readonly InvalidPolicy[];
  /** Things the input leaves undefined, such as two AdminNetworkPolicies of one priority. */
  warnings: readonly string[];
  /** Labels of each namespace, the `kubernetes.io/metadata.name` label included. */
  namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
  pods: readonly PodEndpoint[];
  options: Required<ModelOptions>;
}

export interface ModelInput {
  /**
   * NetworkPolicy objects as read (parsed here), each with the namespace to assume if it names
   * none; AdminNetworkPolicy and BaselineAdminNetworkPolicy objects may be among them.
   */
  policies: readonly (unknown | { obj: unknown; namespace?: string })[];
  namespaces?: readonly NamespaceInfo[];
  pods: readonly PodEndpoint[];
  options?: ModelOptions;
}

function isWrapped(p: unknown): p is { obj: unknown; namespace?: string } {
  return typeof p === 'object' && p !== null && 'obj' in p && !('kind' in p);
}

const ADMIN_KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

export function buildModel(input: ModelInput): NetpolModel {
  const policies: NetworkPolicy[] = [];
  const admin: AdminPolicy[] = [];
  const invalid: InvalidPolicy[] = [];
  const warnings: string[] = [];
  for (const raw of input.policies) {
    const obj = isWrapped(raw) ? raw.obj : raw;
    const kind = (obj as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && ADMIN_KINDS.has(kind)) {
      const r = parseAdminPolicy(obj);
      if (r.policy) admin.push(r.policy);
      else invalid.push({ kind, namespace: '', name: r.name, errors: r.errors, reason: r.errors.join('; ') });
      continue;
    }
    const r = isWrapped(raw) ? parseNetworkPolicy(raw.obj, raw.namespace ?? 'default') : parseNetworkPolicy(raw);
    if (r.policy) policies.push(r.policy);
    else invalid.push({ kind: 'NetworkPolicy', namespace: r.namespace, name: r.name, errors: r.errors, reason: r.errors.join('; ') });
  }
  admin.sort((a, b) => a.priority - b.priority || (a.kind === b.kind ? 0 : a.kind === 'AdminNetworkPolicy' ? -1 : 1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < admin.length; i++) {
    const [a, b] = [admin[i - 1]!, admin[i]!];
    if (a.kind === 'AdminNetworkPolicy' && b.kind === 'AdminNetworkPolicy' && a.priority === b.priority) {
      warnings.push(`AdminNetworkPolicies ${a.name} and ${b.name} share priority ${a.priority}: which applies first is undefined (evaluated here by name)`);
    }
  }
  const banps = admin.filter((p) => p.kind === 'BaselineAdminNetworkPolicy');
  if (banps.length > 1) {
    warnings.push('more than one BaselineAdminNetworkPolicy: only the first is used');
    admin.splice(admin.indexOf(banps[1]!), banps.length - 1);
  }
  const namespaces = new Map<string, Readonly<Record<string, string>>>();
  for (const ns of input.namespaces ?? []) namespaces.set(ns.name, namespaceLabels(ns.name, ns.labels));
  // Namespaces that only pods or policies name still carry their name label.
  for (const p of input.pods) if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, namespaceLabels(p.namespace));
  for (const p of policies) if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, namespaceLabels(p.namespace));
  return { policies, admin, invalid, warnings, namespaces, pods: input.pods, options: { ipBlocksMatchPodIPs: input.options?.ipBlocksMatchPodIPs ?? false } };
}

/** The model of a set of manifests: their NetworkPolicies, Namespaces and workloads. */
export function modelFromResources(resources: readonly Resource[], options: ModelOptions = {}, defaultNamespace = 'default'): NetpolModel {
  const policies = resources
    .filter((r) => (r.kind === 'NetworkPolicy' && r.group === 'networking.k8s.io') || (ADMIN_KINDS.has(r.kind) && r.group === 'policy.networking.k8s.io'))
    .map((r) => ({ obj: r.obj, namespace: r.namespace ?? defaultNamespace }));
  return buildModel({ policies, namespaces: namespacesFromResources(resources), pods: podsFromResources(resources, defaultNamespace), options });
}

/** The labels of namespace `ns`; one the model does not know has only its name label. */
export function labelsOfNamespace(model: NetpolModel, ns: string): Readonly<Record<string, string>> {
  return model.namespaces.get(ns) ?? namespaceLabels(ns);
}

/** The pod endpoint named `ns/name` (or `ns/name[Kind]`), if any. */
export function findPod(model: NetpolModel, ref: string): PodEndpoint | undefined {
  const m = /^([^/]+)\/([^[]+)(?:\[(.+)\])?$/.exec(ref);
  if (!m) return undefined;
  return model.pods.find((p) => p.namespace === m[1] && p.name === m[2] && (m[3] === undefined || p.kind === m[3]));
}
