/**
 * Which risky permissions (./risky-permissions.ts) a user holds as seen from one namespace, and
 * through which grant: what a stolen token is worth there. Two subjects are compared by these
 * holdings: a service account is "more privileged" than a subject when it holds one the subject
 * does not (cluster-wide covers every namespace).
 */
import { grantOf } from './authorize.js';
import type { Permission } from './inventory-model.js';
import type { BindingEntry, RbacModel, RoleEntry } from './model.js';
import { RISKY_PERMISSIONS, type RiskyPermission } from './risky-permissions.js';
import { emptyBits, seenFrom, setBit, type ScopedBits } from './holding-bits.js';
import { ruleAllows } from './rules.js';
import type { Grant, UserInfo } from './types.js';

export interface Holding {
  risk: RiskyPermission;
  permission: Permission;
  /** '' when held cluster-wide (a ClusterRoleBinding), else the namespace a RoleBinding grants it in. */
  scope: string;
  /** The first grant, in the authorizer's order. */
  grant: Grant;
  /** The permission's position in risky-permission order (below {@link RISKY_PERMISSION_COUNT}). */
  order: number;
}

interface Entry {
  risk: RiskyPermission;
  permission: Permission;
  /** Its position in {@link ENTRIES}: the order holdings are reported in. */
  order: number;
  /** The namespace the permission is about (kube-system's ConfigMaps), if it names one. */
  fixed: string | undefined;
}

const ENTRIES: readonly Entry[] = RISKY_PERMISSIONS.flatMap((risk) => risk.permissions.map((permission) => ({ risk, permission, fixed: 'namespace' in permission.request && permission.request.namespace ? permission.request.namespace : undefined }))).map((e, order) => ({ ...e, order }));

/** Per role: the risky permissions its rules allow, each with the first rule that does. Rule matching ignores the namespace. */
const byRole = new WeakMap<RoleEntry, Array<{ entry: Entry; rule: number }>>();

function riskyRulesOf(role: RoleEntry): Array<{ entry: Entry; rule: number }> {
  let out = byRole.get(role);
  if (out) return out;
  out = [];
  for (const entry of ENTRIES) {
    const i = role.rules.findIndex((r) => ruleAllows(r, entry.permission.request));
    if (i !== -1) out.push({ entry, rule: i });
  }
  byRole.set(role, out);
  return out;
}

/**
 * The risky permissions `user` holds in `namespace` and cluster-wide: namespaced ones through the
 * ClusterRoleBindings and the RoleBindings of `namespace` (or of the namespace the permission
 * names, such as kube-system's ConfigMaps), cluster-scoped ones through ClusterRoleBindings only.
 * One holding per permission and scope, in risky-permission order; `namespace` '' asks for the
 * cluster-wide ones alone.
 */
export function riskyHoldings(model: RbacModel, user: UserInfo, namespace: string): Holding[] {
  const found = new Map<string, Holding>();
  eachRiskyGrant(model, user, namespace, (entry, scope, binding, subject, rule) => {
    const key = `${entry.order}@${scope}`;
    if (!found.has(key)) found.set(key, { risk: entry.risk, permission: entry.permission, scope, grant: grantOf(binding, subject, rule), order: entry.order });
  });
  return [...found.values()].sort((a, b) => a.order - b.order || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}

/**
 * What {@link riskyHoldings} finds, as bits (./holding-bits.ts) seen from `namespace`, without
 * building the holdings: enough to compare subjects.
 */
export function riskyBits(model: RbacModel, user: UserInfo, namespace: string): ScopedBits {
  const bits = emptyBits();
  eachRiskyGrant(model, user, namespace, (entry, scope) => setBit(bits, entry.order, scope === '' ? 'all' : scope === namespace ? 'here' : 'fixed'));
  return bits;
}

/**
 * {@link riskyBits} in `namespace` for a user whose cluster-wide bits (asked in namespace '') are
 * `cluster`: those, plus what the RoleBindings of `namespace` add. The same answer for less work.
 */
export function riskyBitsAdding(model: RbacModel, user: UserInfo, namespace: string, cluster: ScopedBits): ScopedBits {
  const bits = { ...seenFrom(cluster, namespace) };
  visitBindings(model.roleBindingsFor(user, namespace), namespace, undefined, (entry, scope) => setBit(bits, entry.order, scope === namespace ? 'here' : 'fixed'));
  return bits;
}

type GrantVisitor = (entry: Entry, scope: string, binding: BindingEntry, subject: Grant['subject'], rule: number) => void;

/** Every risky permission each binding of `user` grants as seen from `namespace`, in binding order. */
function eachRiskyGrant(model: RbacModel, user: UserInfo, namespace: string, fn: GrantVisitor): void {
  visitBindings(model.bindingsFor(user, namespace), namespace, undefined, fn);
  // Permissions on one namespace's objects also come from that namespace's RoleBindings.
  for (const fixed of FIXED_NAMESPACES) if (fixed !== namespace) visitBindings(model.roleBindingsFor(user, fixed), namespace, fixed, fn);
}

/** The risky permissions `bindings` grant as seen from `namespace`; `only`: those on that named namespace's objects. */
function visitBindings(bindings: ReadonlyArray<{ binding: BindingEntry; subject: Grant['subject'] }>, namespace: string, only: string | undefined, fn: GrantVisitor): void {
  for (const { binding, subject } of bindings) {
    if (!binding.role) continue;
    const scope = binding.ref.kind === 'RoleBinding' ? binding.ref.namespace! : '';
    for (const { entry, rule } of riskyRulesOf(binding.role)) {
      if (scope && (entry.permission.clusterScoped || scope !== (entry.fixed ?? namespace))) continue;
      if (only !== undefined && entry.fixed !== only) continue;
      fn(entry, scope, binding, subject, rule);
    }
  }
}

/** The namespaces risky permissions name (kube-system, for its ConfigMaps). */
export const FIXED_NAMESPACES: readonly string[] = [...new Set(ENTRIES.flatMap((e) => (e.fixed ? [e.fixed] : [])))];
/** How many risky permissions there are: holding keys are `<position>@<scope>` with position below this. */
export const RISKY_PERMISSION_COUNT = ENTRIES.length;

/** `read Secrets cluster-wide, run commands in pods in namespace shop`: holdings grouped by risk and scope. */
export function describeHoldings(holdings: readonly Holding[]): string {
  const clusterWide = new Set(holdings.filter((h) => h.scope === '').map((h) => h.risk));
  if (RISKY_PERMISSIONS.every((r) => clusterWide.has(r))) return 'do everything kubeladder counts as risky, cluster-wide (escalate, impersonate, read Secrets, exec into pods, reach kubelets...)';
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const h of holdings) {
    // A permission on one namespace's objects (kube-system's ConfigMaps) says where in its summary.
    const fixed = 'namespace' in h.permission.request && h.permission.request.namespace;
    const where = fixed ? '' : h.scope ? ` in namespace ${h.scope}` : ' cluster-wide';
    const text = `${h.risk.summary}${where}`;
    if (!seen.has(text)) {
      seen.add(text);
      parts.push(text);
    }
  }
  return parts.join(', ');
}
