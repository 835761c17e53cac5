/**
 * Untrusted workloads, and the sandboxed runtimes they need. A workload is untrusted when it
 * or its namespace carries the label `kubeladder.io/untrusted: "true"`: it runs code nobody
 * here wrote or reviewed (customers' scripts, CI jobs of forks, plugins), so a kernel exploit
 * in it must not reach the node. Such pods belong in a sandbox: gVisor (`runsc`) or Kata
 * Containers, chosen through a RuntimeClass.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';
import { isTopLevel } from './owners.js';
import { POD_KINDS, podSpecOf } from './pod-specs.js';

export const UNTRUSTED_LABEL = 'kubeladder.io/untrusted';

/** The label says yes: `"true"` as Kubernetes requires, or a YAML `true` someone forgot to quote. */
function saysTrue(labels: unknown): boolean {
  if (typeof labels !== 'object' || labels === null) return false;
  const v = (labels as Record<string, unknown>)[UNTRUSTED_LABEL];
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

/**
 * Why `r` (a pod-carrying object) is untrusted, as a phrase for messages, or undefined when
 * it is not: its namespace's label first, then its own, then its pod template's.
 */
export function untrustedReason(r: Resource, inventory: Inventory): string | undefined {
  if (r.namespace !== undefined) {
    const ns = inventory.find('', 'Namespace', undefined, r.namespace);
    if (ns && saysTrue(ns.labels)) return `its namespace "${r.namespace}" is labelled ${UNTRUSTED_LABEL}: "true"`;
  }
  if (saysTrue(r.obj.metadata?.labels)) return `it is labelled ${UNTRUSTED_LABEL}: "true"`;
  if (r.kind === 'CronJob') {
    const jobMeta = (r.obj.spec as { jobTemplate?: { metadata?: { labels?: unknown } } } | undefined)?.jobTemplate?.metadata;
    if (saysTrue(jobMeta?.labels)) return `its job template is labelled ${UNTRUSTED_LABEL}: "true"`;
  }
  const pod = podSpecOf(r);
  if (pod && r.kind !== 'Pod' && saysTrue(pod.metadata.labels)) return `its pod template is labelled ${UNTRUSTED_LABEL}: "true"`;
  return undefined;
}

export interface UntrustedWorkload {
  resource: Resource;
  reason: string;
}

/** Every untrusted top-level workload of the inventory (a Deployment, not its ReplicaSets and Pods). */
export function untrustedWorkloads(inventory: Inventory): UntrustedWorkload[] {
  const out: UntrustedWorkload[] = [];
  for (const kind of POD_KINDS) {
    for (const r of inventory.ofKind(kind)) {
      if (!isTopLevel(r, inventory)) continue;
      const reason = untrustedReason(r, inventory);
      if (reason) out.push({ resource: r, reason });
    }
  }
  return out;
}

/**
 * A RuntimeClass handler that runs pods in a sandbox with its own kernel: gVisor (`runsc`,
 * `runsc-*`, `gvisor`, `gvisor-*`) or Kata Containers (`kata`, `kata-qemu`, `kata-fc`...).
 */
export function isSandboxHandler(handler: unknown): boolean {
  if (typeof handler !== 'string') return false;
  const h = handler.trim().toLowerCase();
  return h === 'runsc' || h.startsWith('runsc-') || h === 'gvisor' || h.startsWith('gvisor-') || h.startsWith('kata');
}

/** The RuntimeClass of that name (group node.k8s.io, cluster-scoped), when the input has it. */
export function runtimeClassNamed(inventory: Inventory, name: string): Resource | undefined {
  return inventory.find('node.k8s.io', 'RuntimeClass', undefined, name);
}

export function handlerOf(runtimeClass: Resource): unknown {
  return runtimeClass.obj.handler;
}

/** The RuntimeClasses of the inventory whose handler is a sandbox. */
export function sandboxRuntimeClasses(inventory: Inventory): Resource[] {
  return inventory.ofKind('RuntimeClass').filter((rc) => rc.group === 'node.k8s.io' && isSandboxHandler(handlerOf(rc)));
}
