/**
 * ClusterRole aggregation, computed offline the way the clusterrole-aggregation controller
 * (k8s.io/kubernetes pkg/controller/clusterroleaggregation) leaves the cluster once it settles:
 *
 * - a ClusterRole with an aggregationRule (even one without selectors) has its `rules` REPLACED
 *   by the union of the rules of the ClusterRoles its selectors pick: selectors in order, the
 *   picked roles of each by name, itself skipped, a rule kept the first time it is seen;
 * - the picked roles' rules are their current ones, so an aggregated role that picks another
 *   aggregated role gets that one's aggregated rules: in effect aggregation nests (the built-in
 *   `admin` gets `edit`'s rules this way). The controller re-syncs every aggregated role on any
 *   ClusterRole change until nothing moves; here the roles are computed in dependency order;
 * - a selector the controller cannot convert (an invalid one) makes it fail and retry forever,
 *   leaving that role's stored rules as they are.
 *
 * A cycle of aggregated roles has no single outcome (it depends on the controller's order): the
 * roles on it are iterated to a fixed point from their stored rules, and reported.
 */
import { parseSelector, requirementMatches, type Requirement } from '../labels/selector.js';
import { compareGoStrings, ruleKey } from './parse.js';
import type { PolicyRule } from './types.js';

export interface AggregationInput {
  name: string;
  labels: Readonly<Record<string, unknown>>;
  /** The role's stored rules. */
  rules: readonly PolicyRule[];
  /** The object's `aggregationRule` as written; undefined or null: not an aggregated role. */
  aggregationRule: unknown;
}

export interface AggregatedRules {
  rules: PolicyRule[];
  /** For each rule, the ClusterRole whose own rule it is. */
  from: string[];
}

export interface AggregationResult {
  /** The effective rules of every aggregated role (roles without an aggregationRule keep theirs). */
  aggregated: Map<string, AggregatedRules>;
  /** Aggregated roles left with their stored rules because a selector is invalid, with why. */
  invalid: Map<string, string>;
  /** Aggregated roles on a cycle of aggregated roles picking each other. */
  cyclic: string[];
  /** For each ClusterRole some valid aggregationRule picks, the aggregated roles picking it. */
  pickedBy: Map<string, string[]>;
}

/** A selector of clusterRoleSelectors, as requirements; undefined when invalid. */
function selectorRequirements(raw: unknown): { requirements: Requirement[] } | { error: string } {
  // The list holds LabelSelector values, not pointers: a null entry decodes to the empty
  // selector, which picks every ClusterRole.
  const parsed = parseSelector(raw === null || raw === undefined ? {} : raw);
  if (parsed.kind === 'requirements') return { requirements: parsed.requirements };
  return { error: parsed.kind === 'invalid' ? parsed.error : 'null selector' };
}

export function aggregateClusterRoles(roles: readonly AggregationInput[]): AggregationResult {
  const byName = new Map<string, AggregationInput>();
  for (const r of roles) if (!byName.has(r.name)) byName.set(r.name, r);
  const sorted = [...byName.values()].sort((a, b) => compareGoStrings(a.name, b.name));

  const invalid = new Map<string, string>();
  /** For each aggregated role: per selector, the names it picks (by name, itself excluded). */
  const picks = new Map<string, string[][]>();
  for (const role of byName.values()) {
    if (role.aggregationRule === undefined || role.aggregationRule === null) continue;
    const raw = (typeof role.aggregationRule === 'object' ? role.aggregationRule : {}) as { clusterRoleSelectors?: unknown };
    const selectors = Array.isArray(raw.clusterRoleSelectors) ? raw.clusterRoleSelectors : [];
    const lists: string[][] = [];
    let error: string | undefined;
    for (const [i, sel] of selectors.entries()) {
      const req = selectorRequirements(sel);
      if ('error' in req) {
        error = `aggregationRule.clusterRoleSelectors[${i}]: ${req.error}`;
        break;
      }
      lists.push(
        sorted
          .filter((other) => other.name !== role.name && req.requirements.every((q) => requirementMatches(q, other.labels)))
          .map((other) => other.name),
      );
    }
    if (error) invalid.set(role.name, error);
    else picks.set(role.name, lists);
  }

  // Dependency order: a role after the aggregated roles it picks (depth-first, post-order).
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const cyclic = new Set<string>();
  const visit = (name: string, stack: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      for (const n of stack.slice(stack.indexOf(name))) cyclic.add(n);
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const list of picks.get(name) ?? []) for (const dep of list) if (picks.has(dep)) visit(dep, stack);
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...picks.keys()].sort(compareGoStrings)) visit(name, []);

  const current = new Map<string, AggregatedRules>();
  const rulesOf = (name: string): AggregatedRules => {
    const hit = current.get(name);
    if (hit) return hit;
    const r = byName.get(name)!;
    return { rules: [...r.rules], from: r.rules.map(() => name) };
  };
  const compute = (name: string): AggregatedRules => {
    const out: AggregatedRules = { rules: [], from: [] };
    const seen = new Set<string>();
    for (const list of picks.get(name)!) {
      for (const other of list) {
        const src = rulesOf(other);
        for (let i = 0; i < src.rules.length; i++) {
          const rule = src.rules[i]!;
          const key = ruleKey(rule);
          if (seen.has(key)) continue;
          seen.add(key);
          out.rules.push(rule);
          out.from.push(src.from[i]!);
        }
      }
    }
    return out;
  };
  const same = (a: AggregatedRules, b: AggregatedRules) =>
    a.rules.length === b.rules.length && a.rules.every((r, i) => ruleKey(r) === ruleKey(b.rules[i]!));

  // One pass settles an acyclic graph; cycles need more, bounded (they may never settle).
  const maxPasses = cyclic.size ? picks.size + 2 : 1;
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    for (const name of order) {
      const next = compute(name);
      const prev = current.get(name);
      if (!prev || !same(prev, next)) changed = true;
      current.set(name, next);
    }
    if (!changed) break;
  }

  // Invalid roles keep their stored rules: only the computed ones are returned.
  const aggregated = new Map<string, AggregatedRules>();
  for (const name of picks.keys()) aggregated.set(name, current.get(name)!);
  const pickedBy = new Map<string, string[]>();
  for (const [name, lists] of picks) {
    for (const other of new Set(lists.flat())) {
      const by = pickedBy.get(other);
      if (by) by.push(name);
      else pickedBy.set(other, [name]);
    }
  }
  return { aggregated, invalid, cyclic: [...cyclic].sort(compareGoStrings), pickedBy };
}
