/**
 * PSS verdicts on workloads and namespaces: which level each namespace's workloads already pass,
 * so an operator (and `generate psa-labels`, and `fix`) knows which enforce label is safe.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';
import { POD_KINDS, podSpecOf } from '../workloads/pod-specs.js';
import { isTopLevel } from '../workloads/owners.js';
import { evaluatePodSpec, type PssLevel, type PssResult, type PssVersion } from './index.js';
import type { PsaLevel } from './labels.js';

/** The verdict on a Pod or pod template; undefined for objects without a pod spec. */
export function evaluateWorkload(r: Resource, level: PssLevel, version: PssVersion): PssResult | undefined {
  const pod = podSpecOf(r);
  if (!pod) return undefined;
  return evaluatePodSpec(pod.metadata, pod.spec, level, version);
}

/** The strictest level a pod spec passes: restricted, baseline or privileged. */
export function strictestLevel(r: Resource, version: PssVersion): PsaLevel | undefined {
  const pod = podSpecOf(r);
  if (!pod) return undefined;
  if (!evaluatePodSpec(pod.metadata, pod.spec, 'baseline', version).allowed) return 'privileged';
  return evaluatePodSpec(pod.metadata, pod.spec, 'restricted', version).allowed ? 'restricted' : 'baseline';
}

export interface NamespaceLevel {
  namespace: string;
  /** The strictest level every workload in the namespace passes (restricted when it has none). */
  level: PsaLevel;
  workloads: number;
  /** Workloads that keep the namespace below the next level up, as `Kind/name`. */
  holdingBack: string[];
}

const RANK: Record<PsaLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Top-level workloads (Pods and pod templates people manage) by namespace. */
export function workloadsByNamespace(inventory: Inventory): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const kind of POD_KINDS) {
    for (const r of inventory.ofKind(kind)) {
      if (r.namespace === undefined || !isTopLevel(r, inventory)) continue;
      let list = out.get(r.namespace);
      if (!list) out.set(r.namespace, (list = []));
      list.push(r);
    }
  }
  return out;
}

/** Per namespace of the inventory, the strictest level its current workloads already pass. */
export function namespaceLevels(inventory: Inventory, version: PssVersion = 'latest'): Map<string, NamespaceLevel> {
  const byNs = workloadsByNamespace(inventory);
  const out = new Map<string, NamespaceLevel>();
  for (const { name } of inventory.namespaces()) {
    const workloads = byNs.get(name) ?? [];
    let level: PsaLevel = 'restricted';
    const levels = workloads.map((w) => ({ w, l: strictestLevel(w, version) ?? 'restricted' }));
    for (const { l } of levels) if (RANK[l] < RANK[level]) level = l;
    const holdingBack = levels.filter(({ l }) => l === level && level !== 'restricted').map(({ w }) => `${w.kind}/${w.name}`);
    out.set(name, { namespace: name, level, workloads: workloads.length, holdingBack });
  }
  return out;
}
