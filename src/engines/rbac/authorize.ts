/**
 * The decision the API server's authorizer chain makes on a request: the `system:masters`
 * group first (a superuser authorizer ahead of every configured mode), then RBAC
 * (plugin/pkg/auth/authorizer/rbac: every rule of every role bound to the user, ClusterRoleBindings
 * in every namespace, RoleBindings in their own namespace only).
 *
 * Other authorization modes (Node, webhooks) are not modelled: a `system:node:*` user in the
 * `system:nodes` group may be allowed more by the Node authorizer than this says.
 */
import type { BindingEntry, RbacModel } from './model.js';
import { ruleAllows } from './rules.js';
import { isNonResource, type Decision, type Grant, type Request, type Subject, type UserInfo } from './types.js';

export const SYSTEM_MASTERS = 'system:masters';

/** The grant for rule `i` of the binding's role. */
export function grantOf(binding: BindingEntry, subject: Subject, i: number): Grant {
  const role = binding.role!;
  const g: Grant = { binding: binding.ref, role: role.ref, ruleIndex: i, rule: role.rules[i]!, subject };
  const from = role.aggregatedFrom?.[i];
  if (from !== undefined) g.aggregatedFrom = from;
  return g;
}

/** The namespace the authorizer resolves rules for: non-resource requests have none. */
export function requestNamespace(request: Request): string {
  return isNonResource(request) ? '' : (request.namespace ?? '');
}

/**
 * Allowed or not, and every rule that allows it (ClusterRoleBindings first, then RoleBindings,
 * each in model order; the API server stops at the first it meets, in its cache's order).
 */
export function authorize(model: RbacModel, user: UserInfo, request: Request): Decision {
  if (user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, grants: [], reason: 'system:masters' };
  const grants: Grant[] = [];
  for (const { binding, subject } of model.bindingsFor(user, requestNamespace(request))) {
    const rules = binding.role?.rules;
    if (!rules) continue;
    for (let i = 0; i < rules.length; i++) if (ruleAllows(rules[i]!, request)) grants.push(grantOf(binding, subject, i));
  }
  return grants.length ? { allowed: true, grants, reason: 'rbac' } : { allowed: false };
}

/**
 * Every rule that applies to `user` in `namespace` ('' for cluster-wide: ClusterRoleBindings
 * only), with where it comes from: the API server's RulesFor (what `kubectl auth can-i --list`
 * shows), before any `system:masters` shortcut.
 */
export function rulesFor(model: RbacModel, user: UserInfo, namespace: string): Grant[] {
  const out: Grant[] = [];
  for (const { binding, subject } of model.bindingsFor(user, namespace)) {
    const n = binding.role?.rules.length ?? 0;
    for (let i = 0; i < n; i++) out.push(grantOf(binding, subject, i));
  }
  return out;
}
