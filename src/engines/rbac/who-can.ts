/**
 * Who can make a request: every binding subject that some rule allows it, with the grants. The
 * inverse of {@link authorize}, over the same bindings (ClusterRoleBindings, plus the
 * RoleBindings of the request's namespace); each role's rules are checked once per question.
 */
import { grantOf, requestNamespace } from './authorize.js';
import type { BindingEntry, RbacModel, RoleEntry } from './model.js';
import { ruleAllows } from './rules.js';
import type { Grant, Request, Subject } from './types.js';

export interface WhoCanOptions {
  /**
   * A request without a namespace is cluster-wide, which only ClusterRoleBindings grant. With
   * this set, RoleBindings of every namespace count too, so the answer reads "who can do it in
   * some namespace" (each grant names its binding's namespace).
   */
  anyNamespace?: boolean;
}

export interface WhoCanEntry {
  /** As it applies: a ServiceAccount carries its namespace. */
  subject: Subject;
  grants: Grant[];
}

const KIND_ORDER: Record<Subject['kind'], number> = { User: 0, Group: 1, ServiceAccount: 2 };

/**
 * Binding subjects only: members of `system:masters` can do everything without one, and the
 * users a Group or a ServiceAccount stands for are not expanded. Sorted by kind, namespace, name.
 */
export function whoCan(model: RbacModel, request: Request, options: WhoCanOptions = {}): WhoCanEntry[] {
  const namespace = requestNamespace(request);
  const bindings: Iterable<BindingEntry>[] = [model.clusterRoleBindings];
  if (namespace) bindings.push(model.roleBindingsIn(namespace));
  else if (options.anyNamespace) bindings.push(model.roleBindings);

  const matching = new Map<RoleEntry, number[]>();
  const rulesAllowing = (role: RoleEntry): number[] => {
    let hit = matching.get(role);
    if (!hit) {
      hit = [];
      for (let i = 0; i < role.rules.length; i++) if (ruleAllows(role.rules[i]!, request)) hit.push(i);
      matching.set(role, hit);
    }
    return hit;
  };

  const bySubject = new Map<string, WhoCanEntry>();
  for (const list of bindings) {
    for (const b of list) {
      if (!b.role) continue;
      const rules = rulesAllowing(b.role);
      if (rules.length === 0) continue;
      const seen = new Set<string>();
      for (const s of b.subjects) {
        // Kind, namespace and name: a User named like a ServiceAccount stays a separate entry.
        const key = `${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}`;
        if (seen.has(key)) continue; // the same subject twice in one binding
        seen.add(key);
        let entry = bySubject.get(key);
        if (!entry) bySubject.set(key, (entry = { subject: s, grants: [] }));
        for (const i of rules) entry.grants.push(grantOf(b, s, i));
      }
    }
  }
  return [...bySubject.values()].sort((a, b) => compareSubjects(a.subject, b.subject));
}

/** Users, then groups, then service accounts; each by namespace and name: the order answers list subjects in. */
export function compareSubjects(a: Subject, b: Subject): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
