/**
 * The RBAC model of a cluster: its Roles, ClusterRoles (rules after aggregation), RoleBindings
 * and ClusterRoleBindings, with the bindings indexed by the users and groups they name and by
 * namespace, so that deciding a request reads only the bindings that can apply.
 *
 * Built once per scan from an inventory; read-only afterwards.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';
import { aggregateClusterRoles, type AggregationInput } from './aggregation.js';
import { parseRoleRef, parseRules } from './parse.js';
import { appliesToUser, effectiveSubject, parseSubjects, subjectKey, userKeys } from './subjects.js';
import type { BindingRef, MissingRole, PolicyRule, RoleRef, Subject, UserInfo } from './types.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] as const;

export interface RoleEntry {
  ref: RoleRef;
  /** The rules the authorizer reads: the stored ones, or the aggregated union for an aggregated ClusterRole. */
  rules: readonly PolicyRule[];
  /** Aggregated ClusterRoles: the ClusterRole each rule comes from. */
  aggregatedFrom?: readonly string[];
  resource: Resource;
  /** Taken from the defaults (the built-in roles), not from the input. */
  fromDefaults: boolean;
}

export interface BindingEntry {
  ref: BindingRef;
  /** As written. */
  roleRef: { kind: string; name: string };
  /** The role it grants; undefined when the roleRef resolves to nothing (see {@link RbacModel.missingRoles}). */
  role: RoleEntry | undefined;
  /** The subjects that can apply, in order: ServiceAccounts with their namespace filled in. */
  subjects: readonly Subject[];
  resource: Resource;
  fromDefaults: boolean;
  /** Position in the model (ClusterRoleBindings first), which orders decisions and reports. */
  ordinal: number;
}

export interface RbacModelOptions {
  /** Objects (e.g. the built-in roles and bindings) used where the input has none of that kind, namespace and name. */
  defaults?: readonly Resource[];
}

const isRbac = (r: Resource) => r.group === RBAC_GROUP;
const objectKey = (kind: string, namespace: string | undefined, name: string) => `${kind}\u0000${namespace ?? ''}\u0000${name}`;
const roleKey = (namespace: string, name: string) => `${namespace}\u0000${name}`;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export class RbacModel {
  /** Roles by namespace and name. */
  private readonly rolesByKey = new Map<string, RoleEntry>();
  readonly clusterRoles = new Map<string, RoleEntry>();
  readonly clusterRoleBindings: BindingEntry[] = [];
  readonly roleBindings: BindingEntry[] = [];
  private readonly roleBindingsByNamespace = new Map<string, BindingEntry[]>();
  /** ClusterRoleBindings by subject key (`u:<user>`, `g:<group>`). */
  private readonly crbBySubject = new Map<string, BindingEntry[]>();
  /** RoleBindings by namespace, then subject key. */
  private readonly rbBySubject = new Map<string, Map<string, BindingEntry[]>>();
  /** Subject key to the namespaces where RoleBindings name it. */
  private readonly rbNamespacesBySubject = new Map<string, Set<string>>();
  private readonly missing: MissingRole[] = [];
  /** Aggregated ClusterRoles the model could not compute (invalid selector: stored rules kept), and cycles. */
  readonly aggregation: { invalid: ReadonlyMap<string, string>; cyclic: readonly string[]; pickedBy: ReadonlyMap<string, readonly string[]> };

  static fromInventory(inventory: Inventory, options: RbacModelOptions = {}): RbacModel {
    return RbacModel.fromResources(KINDS.flatMap((k) => inventory.ofKind(k)), options);
  }

  /** From any RBAC objects (others are ignored); an object of the same kind, namespace and name twice: the first counts. */
  static fromResources(resources: Iterable<Resource>, options: RbacModelOptions = {}): RbacModel {
    return new RbacModel(resources, options.defaults ?? []);
  }

  private constructor(input: Iterable<Resource>, defaults: readonly Resource[]) {
    const objects = new Map<string, { r: Resource; fromDefaults: boolean }>();
    const take = (r: Resource, fromDefaults: boolean) => {
      if (!isRbac(r) || !(KINDS as readonly string[]).includes(r.kind)) return;
      const ns = r.kind === 'Role' || r.kind === 'RoleBinding' ? (r.namespace ?? '') : undefined;
      const key = objectKey(r.kind, ns, r.name);
      if (!objects.has(key)) objects.set(key, { r, fromDefaults });
    };
    for (const r of input) take(r, false);
    for (const r of defaults) take(r, true);
    const ofKind = (kind: string) => [...objects.values()].filter((o) => o.r.kind === kind);

    // Roles, then ClusterRoles with aggregation applied.
    for (const { r, fromDefaults } of ofKind('Role')) {
      const namespace = r.namespace ?? '';
      this.rolesByKey.set(roleKey(namespace, r.name), {
        ref: { kind: 'Role', name: r.name, namespace },
        rules: parseRules(r.obj.rules),
        resource: r,
        fromDefaults,
      });
    }
    const clusterRoles = ofKind('ClusterRole');
    const inputs: AggregationInput[] = clusterRoles.map(({ r }) => ({
      name: r.name,
      labels: r.labels,
      rules: parseRules(r.obj.rules),
      aggregationRule: r.obj.aggregationRule,
    }));
    const agg = aggregateClusterRoles(inputs);
    this.aggregation = { invalid: agg.invalid, cyclic: agg.cyclic, pickedBy: agg.pickedBy };
    clusterRoles.forEach(({ r, fromDefaults }, i) => {
      const computed = agg.aggregated.get(r.name);
      const entry: RoleEntry = { ref: { kind: 'ClusterRole', name: r.name }, rules: computed?.rules ?? inputs[i]!.rules, resource: r, fromDefaults };
      if (computed) entry.aggregatedFrom = computed.from;
      this.clusterRoles.set(r.name, entry);
    });

    // Bindings: ClusterRoleBindings first, as the authorizer visits them.
    let ordinal = 0;
    for (const { r, fromDefaults } of ofKind('ClusterRoleBinding')) {
      const b = this.binding(r, fromDefaults, ordinal++, '');
      this.clusterRoleBindings.push(b);
      for (const key of new Set(b.subjects.map(subjectKey))) push(this.crbBySubject, key, b);
    }
    for (const { r, fromDefaults } of ofKind('RoleBinding')) {
      const namespace = r.namespace ?? '';
      const b = this.binding(r, fromDefaults, ordinal++, namespace);
      this.roleBindings.push(b);
      push(this.roleBindingsByNamespace, namespace, b);
      let bySubject = this.rbBySubject.get(namespace);
      if (!bySubject) this.rbBySubject.set(namespace, (bySubject = new Map()));
      for (const key of new Set(b.subjects.map(subjectKey))) {
        push(bySubject, key, b);
        let where = this.rbNamespacesBySubject.get(key);
        if (!where) this.rbNamespacesBySubject.set(key, (where = new Set()));
        where.add(namespace);
      }
    }
  }

  /** `namespace`: a RoleBinding's own, '' for a ClusterRoleBinding. */
  private binding(r: Resource, fromDefaults: boolean, ordinal: number, namespace: string): BindingEntry {
    const ref: BindingRef = r.kind === 'RoleBinding' ? { kind: 'RoleBinding', name: r.name, namespace } : { kind: 'ClusterRoleBinding', name: r.name };
    const roleRef = parseRoleRef(r.obj.roleRef);
    let role: RoleEntry | undefined;
    // The authorizer looks a Role up in the binding's namespace, which a ClusterRoleBinding
    // does not have: it finds none. Any other kind is an error there.
    if (roleRef.kind === 'ClusterRole') role = this.clusterRoles.get(roleRef.name);
    else if (roleRef.kind === 'Role' && namespace) role = this.rolesByKey.get(roleKey(namespace, roleRef.name));
    if (!role) {
      const supported = roleRef.kind === 'ClusterRole' || roleRef.kind === 'Role';
      const missingRef: MissingRole['roleRef'] = { kind: roleRef.kind, name: roleRef.name };
      if (roleRef.kind === 'Role' && namespace) missingRef.namespace = namespace;
      this.missing.push({ binding: ref, roleRef: missingRef, reason: supported ? 'not-found' : 'unsupported-kind' });
    }
    const subjects: Subject[] = [];
    for (const s of parseSubjects(r.obj.subjects)) {
      const e = effectiveSubject(s, namespace);
      if (e) subjects.push(e);
    }
    return { ref, roleRef, role, subjects, resource: r, fromDefaults, ordinal };
  }

  /** Every binding, ClusterRoleBindings first, in model order. */
  *bindings(): IterableIterator<BindingEntry> {
    yield* this.clusterRoleBindings;
    yield* this.roleBindings;
  }

  /** The Role `namespace/name`. */
  role(namespace: string, name: string): RoleEntry | undefined {
    return this.rolesByKey.get(roleKey(namespace, name));
  }

  get roles(): IterableIterator<RoleEntry> {
    return this.rolesByKey.values();
  }

  roleBindingsIn(namespace: string): readonly BindingEntry[] {
    return this.roleBindingsByNamespace.get(namespace) ?? [];
  }

  /** Namespaces holding RoleBindings. */
  bindingNamespaces(): string[] {
    return [...this.roleBindingsByNamespace.keys()].sort();
  }

  /** The RoleBindings of `namespace` that apply to `user`, as {@link bindingsFor} lists them (without the ClusterRoleBindings). */
  roleBindingsFor(user: UserInfo, namespace: string): Array<{ binding: BindingEntry; subject: Subject }> {
    const inNamespace = this.rbBySubject.get(namespace);
    if (!inNamespace) return [];
    const keys = userKeys(user);
    if (!keys.some((k) => inNamespace.has(k))) return [];
    return this.bindingsFor(user, namespace).filter((b) => b.binding.ref.kind === 'RoleBinding');
  }

  /** The namespaces where some RoleBinding names the user or one of its groups (whatever its role). */
  roleBindingNamespacesFor(user: UserInfo): Set<string> {
    const out = new Set<string>();
    for (const k of userKeys(user)) for (const ns of this.rbNamespacesBySubject.get(k) ?? []) out.add(ns);
    return out;
  }

  /** Bindings whose role does not exist (or cannot be bound there): they grant nothing. */
  missingRoles(): readonly MissingRole[] {
    return this.missing;
  }

  /**
   * The bindings that apply to `user` for a request in `namespace` ('' for cluster-scoped,
   * all-namespace and non-resource requests, where only ClusterRoleBindings count), in the
   * model's order, each with the first of its subjects that matches the user (the one the API
   * server names in its reason).
   */
  bindingsFor(user: UserInfo, namespace: string): Array<{ binding: BindingEntry; subject: Subject }> {
    const found = new Set<BindingEntry>();
    const keys = userKeys(user);
    for (const k of keys) for (const b of this.crbBySubject.get(k) ?? []) found.add(b);
    const inNamespace = namespace ? this.rbBySubject.get(namespace) : undefined;
    if (inNamespace) for (const k of keys) for (const b of inNamespace.get(k) ?? []) found.add(b);
    const out: Array<{ binding: BindingEntry; subject: Subject }> = [];
    for (const b of [...found].sort((x, y) => x.ordinal - y.ordinal)) {
      const bindingNamespace = b.ref.namespace ?? '';
      const subject = b.subjects.find((s) => appliesToUser(user, s, bindingNamespace));
      if (subject) out.push({ binding: b, subject });
    }
    return out;
  }
}
