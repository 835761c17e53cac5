/**
 * A live cluster holds a Deployment, its ReplicaSets and their Pods: the same pod template
 * three times. Findings belong on the object a person writes, so an object whose controlling
 * owner is itself in the inventory is judged through that owner, never twice.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';

interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

/** The controlling owner of `r` when the inventory holds it. */
export function controllerIn(r: Resource, inventory: Inventory): Resource | undefined {
  const refs = r.obj.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  const ref = (refs as OwnerReference[]).find((o) => o?.controller === true);
  if (!ref?.kind || !ref.name || typeof ref.apiVersion !== 'string') return undefined;
  const slash = ref.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : ref.apiVersion.slice(0, slash);
  return inventory.find(group, ref.kind, r.namespace, ref.name);
}

/** True for workloads people manage directly: no controlling owner in the inventory. */
export function isTopLevel(r: Resource, inventory: Inventory): boolean {
  return controllerIn(r, inventory) === undefined;
}
