/**
 * What the NetworkPolicy checks share: the workloads they judge, how they name them, and the
 * notes they add when invalid or admin policies bear on a verdict. Not a check itself: the
 * registry only takes files inside an area folder.
 */
import type { Evaluation } from '../core/check.js';
import type { Inventory } from '../core/inventory.js';
import type { Resource } from '../core/resource.js';
import { adminSelects } from '../engines/netpol/admin.js';
import { NETPOL_KINDS } from '../engines/netpol/inventory-model.js';
import { isolatingPolicies, policySelects } from '../engines/netpol/match.js';
import { labelsOfNamespace, type NetpolModel } from '../engines/netpol/model.js';
import type { Direction, NetworkPolicy, PodEndpoint } from '../engines/netpol/types.js';
import { ENDPOINT_KINDS } from '../engines/netpol/workloads.js';

/** What every workload-level NetworkPolicy check reads: the policies, the namespaces' labels and the pods. */
export const NETPOL_WORKLOAD_KINDS: readonly string[] = [...NETPOL_KINDS, ...ENDPOINT_KINDS];

/** A pod endpoint that comes from an object of the input. */
export type JudgedPod = PodEndpoint & { resource: Resource };

/**
 * The workloads a per-workload check judges: those of the input (a workload owned by another in
 * the input is its owner's pods), host-network ones left out: NetworkPolicy does not define what
 * happens to their traffic, which is the node's.
 */
export function judgedPods(model: NetpolModel, inventory: Inventory): JudgedPod[] {
  return model.pods.filter((p): p is JudgedPod => p.resource !== undefined && !p.hostNetwork && inventory.namespaceListed(p.namespace));
}

/** `Deployment shop/api`. */
export function workloadName(p: PodEndpoint): string {
  return `${p.kind} ${p.namespace}/${p.name}`;
}

/** The NetworkPolicy object a parsed policy comes from. */
export function policyResource(inventory: Inventory, p: Pick<NetworkPolicy, 'namespace' | 'name'>): Resource | undefined {
  return inventory.find('networking.k8s.io', 'NetworkPolicy', p.namespace, p.name);
}

/** ` (NetworkPolicy shop/x is invalid and applies to nothing: see netpol/invalid-policy)`, or '' when the namespace has no invalid policy. */
export function invalidNote(model: NetpolModel, namespace: string): string {
  const bad = model.invalid.filter((i) => i.kind === 'NetworkPolicy' && i.namespace === namespace).map((i) => `${i.namespace}/${i.name}`);
  if (bad.length === 0) return '';
  return ` (NetworkPolicy ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} invalid and ${bad.length === 1 ? 'applies' : 'apply'} to nothing: see netpol/invalid-policy)`;
}

/**
 * The admin policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy) that select `pod` and
 * deny something in `direction`: a pod no NetworkPolicy isolates is not open to all when one does.
 */
export function adminDenials(model: NetpolModel, pod: PodEndpoint, direction: Direction): string[] {
  const nsLabels = labelsOfNamespace(model, pod.namespace);
  return model.admin.filter((a) => adminSelects(a, pod, nsLabels) && (direction === 'Ingress' ? a.ingress : a.egress).some((r) => r.action === 'Deny')).map((a) => a.id);
}

/** The policies that select `pod` but do not isolate it in `direction` (their policyTypes lack it, perhaps by default). */
export function selectingOtherDirection(model: NetpolModel, pod: PodEndpoint, direction: Direction): NetworkPolicy[] {
  return model.policies.filter((p) => !p.types.includes(direction) && policySelects(p, pod));
}

/** `app=api,tier=web`, or `{}` for a pod without labels. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  const e = Object.entries(labels);
  return e.length === 0 ? '{}' : e.map(([k, v]) => `${k}=${v}`).join(',');
}

/** Why a policy that selects the pod does not isolate `direction`: its policyTypes as written, or as defaulted. */
function otherDirectionNote(inventory: Inventory, p: NetworkPolicy, direction: Direction): string {
  const written = (policyResource(inventory, p)?.obj.spec as { policyTypes?: unknown } | undefined)?.policyTypes;
  const types = `[${p.types.join(', ')}]`;
  const how = Array.isArray(written) && written.length > 0 ? `policyTypes: ${types}` : `policyTypes defaults to ${types}${direction === 'Egress' ? ' for a policy without egress rules' : ''}`;
  return `NetworkPolicy ${p.id} selects it but isolates ${p.types.map((t) => t.toLowerCase()).join(' and ')} only (${how})`;
}

/** The evaluations of pod-ingress-not-isolated and pod-egress-not-isolated: one per judged workload. */
export function notIsolated(direction: Direction, inventory: Inventory, model: NetpolModel): Evaluation[] {
  const dir = direction.toLowerCase();
  return judgedPods(model, inventory).map((pod): Evaluation => {
    if (isolatingPolicies(model.policies, pod, direction).length > 0) return { subject: pod.resource, violations: [] };
    if (adminDenials(model, pod, direction).length > 0) return { subject: pod.resource, violations: [] };
    const notes = selectingOtherDirection(model, pod, direction).map((p) => otherDirectionNote(inventory, p, direction));
    const ports = pod.ports.length > 0 ? ` (${[...new Set(pod.ports.map((p) => `${p.protocol} ${p.containerPort}`))].join(', ')})` : '';
    const exposure =
      direction === 'Ingress'
        ? `every pod in the cluster, and any address that reaches the pod network, can connect to every port it listens on${ports}`
        : 'it can connect to every pod in the cluster, the API server, the cloud metadata service and any address outside';
    const message = `no NetworkPolicy isolates ${workloadName(pod)} for ${dir}: ${exposure}${notes.length ? `; ${notes.join('; ')}` : ''}${invalidNote(model, pod.namespace)}`;
    const remediation = `Give namespace ${pod.namespace} a default deny (\`kubeladder generate netpol-default-deny --namespace ${pod.namespace}\`) or add a NetworkPolicy whose podSelector matches ${labelsText(pod.labels)} with ${direction} in policyTypes, then allow only the ${direction === 'Ingress' ? 'clients' : 'destinations'} it needs${direction === 'Egress' ? ', DNS included (`kubeladder generate netpol-allow-dns`)' : ''}.`;
    return { subject: pod.resource, violations: [{ message, remediation }] };
  });
}
