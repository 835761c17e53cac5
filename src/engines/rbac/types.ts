/**
 * The RBAC model's vocabulary: who asks (a user with groups, as the authorizer sees it), what
 * they ask (a resource or non-resource request), and why the answer is yes (the rule, role and
 * binding that grant it).
 */

/** A subject as a binding names it. */
export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** ServiceAccount subjects: their namespace (a RoleBinding's own when omitted). */
  namespace?: string;
}

/** Who makes a request, as the authorizer sees it after authentication. */
export interface UserInfo {
  /** e.g. `alice`, `system:serviceaccount:shop:api`, `system:anonymous`. */
  name: string;
  groups: readonly string[];
}

export interface ResourceRequest {
  verb: string;
  /** API group: '' for core. */
  apiGroup: string;
  /** Plural resource, e.g. `pods`. */
  resource: string;
  subresource?: string;
  /** Object name; absent for list/create/deletecollection and the like. */
  name?: string;
  /** Absent (or '') for cluster-scoped resources and all-namespace requests. */
  namespace?: string;
}

export interface NonResourceRequest {
  verb: string;
  /** e.g. `/metrics`, `/healthz/ready`. */
  path: string;
}

export type Request = ResourceRequest | NonResourceRequest;

export function isNonResource(r: Request): r is NonResourceRequest {
  return 'path' in r;
}

/** One PolicyRule as RBAC objects hold it. */
export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
}

/** A role (Role or ClusterRole), its rules after aggregation. */
export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** Role only. */
  namespace?: string;
}

/** A RoleBinding (namespace set) or a ClusterRoleBinding. */
export interface BindingRef {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** RoleBinding only. */
  namespace?: string;
}

/** Why a request is allowed: the rule (its index in the role's effective rules), the role, the binding. */
export interface Grant {
  binding: BindingRef;
  role: RoleRef;
  ruleIndex: number;
  rule: PolicyRule;
  /**
   * The binding subject that matched the user. A ServiceAccount subject carries the namespace it
   * stands for (a RoleBinding's own when the binding omits it).
   */
  subject: Subject;
  /**
   * Aggregated ClusterRoles: the ClusterRole the rule came from (the first in the aggregation
   * controller's order that holds it; the original one when aggregation is nested).
   */
  aggregatedFrom?: string;
}

/** A binding whose roleRef names no role the model holds: it grants nothing. */
export interface MissingRole {
  binding: BindingRef;
  /** The roleRef as written; `namespace` is the binding's for a Role. */
  roleRef: { kind: string; name: string; namespace?: string };
  /** Why it resolves to nothing: the role does not exist, or the roleRef kind cannot be bound there. */
  reason: 'not-found' | 'unsupported-kind';
}

export type Decision = { allowed: true; grants: Grant[]; reason: 'rbac' | 'system:masters' } | { allowed: false };
