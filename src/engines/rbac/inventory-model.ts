/**
 * The RBAC model of a scan's inventory, built once per inventory and shared by every check that
 * asks the RBAC engine. Manifests rarely hold the roles and bindings the API server creates
 * itself, so for a manifest scan (and not a cluster one, which has its own) the built-in ones of
 * the inventory's Kubernetes version are added where the manifests lack them.
 *
 * Also the vocabulary the RBAC checks share: which objects are built in, which subjects are the
 * system's own, and the findings "who may do this, through which binding".
 */
import type { Evaluation, Violation } from '../../core/check.js';
import type { Inventory } from '../../core/inventory.js';
import { Resource } from '../../core/resource.js';
import { BOOTSTRAPPING_LABEL, defaultRbacObjects } from './defaults/index.js';
import { grantOf } from './authorize.js';
import { RbacModel, type BindingEntry, type RoleEntry } from './model.js';
import { ruleAllows } from './rules.js';
import { subjectDisplay } from './subjects.js';
import type { Grant, Request, Subject } from './types.js';
import { compareSubjects } from './who-can.js';

const models = new WeakMap<Inventory, RbacModel>();

/** The RBAC kinds, as checks name them in `needs.kinds`. */
export const RBAC_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const;

/** The inventory's RBAC model (with the built-in roles and bindings for a manifest scan), built once. */
export function rbacModelOf(inventory: Inventory): RbacModel {
  let model = models.get(inventory);
  if (model) return model;
  if (inventory.inputs.has('manifests') && !inventory.inputs.has('cluster')) {
    const defaults = defaultRbacObjects(inventory.kubernetesVersion).objects.map((o) => new Resource(o, { basePath: [] }, o.metadata?.namespace));
    model = RbacModel.fromInventory(inventory, { defaults });
  } else {
    model = RbacModel.fromInventory(inventory);
  }
  models.set(inventory, model);
  return model;
}

/** An object the API server creates itself (labelled `kubernetes.io/bootstrapping: rbac-defaults`). */
export function isBuiltIn(r: Resource): boolean {
  return r.labels[BOOTSTRAPPING_LABEL.key] === BOOTSTRAPPING_LABEL.value;
}

/**
 * Groups (and the anonymous user) that stand for a population, not for the system: every service
 * account (of a namespace), every authenticated or unauthenticated caller. A binding that names
 * one grants to all of them, so it is judged like any other subject.
 */
const POPULATIONS = /^system:(serviceaccounts(:.+)?|authenticated|unauthenticated|anonymous)$/;

/** The system's own subjects: `system:*` users and groups but the populations above, and service accounts in kube-system. */
export function isSystemSubject(s: Subject): boolean {
  if (s.kind === 'ServiceAccount') return s.namespace === 'kube-system';
  return s.name.startsWith('system:') && !POPULATIONS.test(s.name);
}

/** The RBAC object an RBAC reference names, as people read it: `ClusterRole x`, `Role ns/x`. */
export function refDisplay(ref: { kind: string; name: string; namespace?: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `subjects[i]` of the binding object: the first entry that stands for `s`. */
export function subjectPath(binding: Resource, s: Subject): string | undefined {
  const raw = binding.obj.subjects;
  if (!Array.isArray(raw)) return undefined;
  const i = raw.findIndex((e: unknown) => {
    if (typeof e !== 'object' || e === null) return false;
    const { kind, name, namespace } = e as { kind?: unknown; name?: unknown; namespace?: unknown };
    if (kind !== s.kind || name !== s.name) return false;
    return s.kind !== 'ServiceAccount' || !namespace || namespace === s.namespace;
  });
  return i === -1 ? undefined : `subjects[${i}]`;
}

/** One permission a check looks for: the requests that use it and how a message names it. */
export interface Permission {
  /** What the subject may do, e.g. `get` (of `get secrets`), `create`. */
  verb: string;
  /** What it is done to, e.g. `secrets`, `pods/exec`. */
  on: string;
  /** What to take out of a rule so it no longer grants this: `secrets`, `bind`, `pods/exec`. */
  removes: string;
  request: Request;
  /**
   * A cluster-scoped resource (nodes, PersistentVolumes...): only ClusterRoleBindings grant it,
   * whatever a RoleBinding's role says. Namespaces are not: a RoleBinding grants on its own.
   */
  clusterScoped?: boolean;
}

/** Whether a grant comes through a wildcard of the rule (`*` in verbs or API groups, `*` anywhere in a resource such as `pods/*`): the fix is to narrow it, not remove a name. */
function wildcardIn(rule: Grant['rule']): boolean {
  return [rule.verbs, rule.apiGroups ?? []].some((l) => l.includes('*')) || (rule.resources ?? []).some((r) => r.includes('*'));
}

/** One binding's grant of a permission a check looks for. */
export interface PermissionHit {
  permission: Permission;
  grant: Grant;
}

/** What one binding grants of the permissions a check looks for, and to whom. */
export interface BindingHits {
  /** The non-system subjects that get them, once each, sorted as whoCan sorts them. */
  subjects: Subject[];
  /** One per permission and rule, in permission order, then rule; each grant names the first subject. */
  hits: PermissionHit[];
}


/**
 * Who (non-system subjects only) gets any of `permissions`, in some namespace or cluster-wide, by
 * binding: what {@link whoCan} answers for each permission (every namespace's RoleBindings for a
 * namespaced one, ClusterRoleBindings only for a cluster-scoped one, the named namespace's for one
 * that names it), in one pass over the bindings with each role's rules matched once. Per binding,
 * hits are in permission order, then by subject as whoCan sorts them.
 */
export function permissionHits(model: RbacModel, permissions: readonly Permission[]): Map<BindingEntry, BindingHits> {
  const rulesByRole = new Map<RoleEntry, number[][]>();
  const rulesOf = (role: RoleEntry): number[][] => {
    let out = rulesByRole.get(role);
    if (!out) {
      out = permissions.map((p) => role.rules.flatMap((r, i) => (ruleAllows(r, p.request) ? [i] : [])));
      rulesByRole.set(role, out);
    }
    return out;
  };
  const hits = new Map<BindingEntry, BindingHits>();
  for (const b of model.bindings()) {
    if (!b.role) continue;
    const perPermission = rulesOf(b.role);
    let subjects: Subject[] | undefined;
    let list: PermissionHit[] | undefined;
    for (let order = 0; order < permissions.length; order++) {
      const rules = perPermission[order]!;
      if (rules.length === 0) continue;
      const permission = permissions[order]!;
      if (b.ref.kind === 'RoleBinding') {
        if (permission.clusterScoped) continue;
        const fixed = 'namespace' in permission.request ? permission.request.namespace : undefined;
        if (fixed && fixed !== b.ref.namespace) continue;
      }
      subjects ??= b.subjects.filter((s, i) => !isSystemSubject(s) && (i === 0 || b.subjects.findIndex((t) => t.kind === s.kind && t.name === s.name && t.namespace === s.namespace) === i)).sort(compareSubjects);
      if (subjects.length === 0) break;
      list ??= [];
      for (const i of rules) list.push({ permission, grant: grantOf(b, subjects[0]!, i) });
    }
    if (list && subjects) hits.set(b, { subjects, hits: list });
  }
  return hits;
}

/** The hits of one binding, from {@link permissionHits}. */
export function hitsOf(hits: Map<BindingEntry, BindingHits>, b: BindingEntry): BindingHits | undefined {
  return hits.get(b);
}

/** The bindings the input holds (not the built-in ones): what RBAC findings are about. */
export function inputBindings(model: RbacModel): BindingEntry[] {
  const out: BindingEntry[] = [];
  for (const b of model.bindings()) if (!b.fromDefaults && !isBuiltIn(b.resource)) out.push(b);
  return out;
}

/**
 * Bindings from the input (not the built-in ones) through which a non-system subject gets any of
 * `permissions`, in some namespace or cluster-wide: one evaluation per input binding, failing
 * with one violation that names who, what, through which role and rules, and the smallest fix.
 */
export function permissionFindings(inventory: Inventory, permissions: readonly Permission[]): Evaluation[] {
  const model = rbacModelOf(inventory);
  const hits = permissionHits(model, permissions);
  return inputBindings(model).map((b): Evaluation => {
    const found = hitsOf(hits, b);
    return { subject: b.resource, violations: found ? [bindingViolation(b, found)] : [] };
  });
}

/** `get, list, watch secrets; create pods/exec`: verbs grouped by what they apply to. */
function describePermissions(permissions: readonly Permission[]): string {
  const byTarget = new Map<string, string[]>();
  for (const p of permissions) {
    const verbs = byTarget.get(p.on) ?? [];
    if (!verbs.includes(p.verb)) verbs.push(p.verb);
    byTarget.set(p.on, verbs);
  }
  return [...byTarget].map(([on, verbs]) => `${verbs.join(', ')} ${on}`).join('; ');
}

const list = (items: readonly string[]) => [...new Set(items)].join(', ');

/** The violation of a binding that grants `found`: who may do what, where, through which rules, and the smallest fix. */
export function bindingViolation(b: BindingEntry, { subjects, hits: found }: BindingHits, describe: (permissions: readonly Permission[]) => string = describePermissions): Violation {
  const what = list(found.map((f) => f.permission.removes));
  const role = b.role!;
  const rules = [...new Set(found.map((f) => f.grant.ruleIndex))].sort((x, y) => x - y);
  const where = b.ref.kind === 'RoleBinding' ? `in namespace ${b.ref.namespace}` : 'cluster-wide';
  const who = subjects.map(subjectDisplay).join(', ');
  const ruleWord = rules.length === 1 ? `rule ${rules[0]}` : `rules ${rules.join(', ')}`;
  const parts = [...new Set(found.flatMap((f) => (f.grant.aggregatedFrom !== undefined && f.grant.aggregatedFrom !== role.ref.name ? [f.grant.aggregatedFrom] : [])))];
  const aggregated = parts.length ? ` (aggregated from ClusterRole ${parts.join(', ClusterRole ')})` : '';
  const message = `${who} ${subjects.length === 1 ? 'may' : 'may each'} ${describe(found.map((f) => f.permission))} ${where} through ${refDisplay(b.ref)} -> ${refDisplay(role.ref)} ${ruleWord}${aggregated}`;

  let remediation: string;
  if (role.fromDefaults || isBuiltIn(role.resource)) {
    remediation = `Bind a role without ${what} instead of the built-in ${refDisplay(role.ref)} in ${refDisplay(b.ref)}.`;
  } else {
    const fixes = rules.map((i) => {
      const here = found.filter((f) => f.grant.ruleIndex === i);
      const grant = here[0]!.grant;
      const removes = list(here.map((f) => f.permission.removes));
      // An aggregated role's rule i is its i-th effective rule: name the ClusterRole it comes from.
      const rule = grant.aggregatedFrom !== undefined && grant.aggregatedFrom !== role.ref.name ? `the rule of ClusterRole ${grant.aggregatedFrom} that ${refDisplay(role.ref)} aggregates` : `rule ${i} of ${refDisplay(role.ref)}`;
      return wildcardIn(grant.rule) ? `narrow the wildcard in ${rule} so it no longer covers ${removes}` : `remove ${removes} from ${rule}`;
    });
    remediation = `${capitalize(fixes.join('; '))}, or bind a role without ${what} in ${refDisplay(b.ref)}.`;
  }
  const first = subjects[0]!;
  const v: Violation = { message, remediation };
  const path = subjectPath(b.resource, first);
  if (path) v.path = path;
  return v;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
