/**
 * The NetworkPolicy model of a scan's inventory, built once and shared by every check and command
 * that asks the reachability engine: its NetworkPolicies (and admin policies), Namespaces and
 * workloads, each pod endpoint carrying the object it comes from.
 */
import type { Inventory } from '../../core/inventory.js';
import { modelFromResources, type NetpolModel } from './model.js';

const models = new WeakMap<Inventory, NetpolModel>();

/** The kinds the model reads, as checks name them in `needs.kinds`. */
export const NETPOL_KINDS = ['NetworkPolicy', 'Namespace'] as const;

export function netpolModelOf(inventory: Inventory): NetpolModel {
  let model = models.get(inventory);
  if (!model) models.set(inventory, (model = modelFromResources(inventory.resources)));
  return model;
}
