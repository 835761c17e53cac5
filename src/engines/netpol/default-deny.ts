/**
 * Default deny as NetworkPolicy defines it: a policy that selects every pod of its namespace
 * (an empty podSelector) and isolates a direction with no rule allowing anything back in.
 */
import type { Resource } from '../../core/resource.js';

export type Direction = 'Ingress' | 'Egress';

interface PolicySpec {
  podSelector?: { matchLabels?: Record<string, unknown>; matchExpressions?: unknown[] };
  policyTypes?: unknown;
  ingress?: unknown;
  egress?: unknown;
}

/**
 * The directions a policy isolates. Without policyTypes, Kubernetes defaults to Ingress, plus
 * Egress when the policy has egress rules.
 */
export function policyTypes(spec: PolicySpec): Direction[] {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) {
    return spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  }
  return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function selectsAllPods(spec: PolicySpec): boolean {
  const sel = spec.podSelector;
  if (sel === undefined || sel === null) return true;
  if (typeof sel !== 'object') return false;
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function rulesOf(spec: PolicySpec, d: Direction): unknown {
  return d === 'Ingress' ? spec.ingress : spec.egress;
}

/** True when this policy alone denies every connection in direction `d` for all pods of its namespace. */
export function deniesAll(policy: Resource, d: Direction): boolean {
  const spec = (policy.obj.spec ?? {}) as PolicySpec;
  if (typeof spec !== 'object' || !selectsAllPods(spec) || !policyTypes(spec).includes(d)) return false;
  const rules = rulesOf(spec, d);
  return rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
}

/** For each direction, the policy of `policies` that gives the namespace a default deny, if any. */
export function defaultDeny(policies: readonly Resource[]): Record<Direction, Resource | undefined> {
  return {
    Ingress: policies.find((p) => deniesAll(p, 'Ingress')),
    Egress: policies.find((p) => deniesAll(p, 'Egress')),
  };
}
