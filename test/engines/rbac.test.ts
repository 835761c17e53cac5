import { describe, expect, it } from 'vitest';
import { Inventory } from '../../src/core/inventory.js';
import { Resource, type KubeObject } from '../../src/core/resource.js';
import {
  aggregateClusterRoles,
  authorize,
  nonResourceURLMatches,
  RbacModel,
  resourceMatches,
  ruleAllows,
  rulesFor,
  userForServiceAccount,
  whoCan,
  type PolicyRule,
  type Request,
  type UserInfo,
} from '../../src/engines/rbac/index.js';

const API = 'rbac.authorization.k8s.io/v1';

function res(obj: KubeObject): Resource {
  return new Resource(obj, { basePath: [] }, obj.metadata?.namespace);
}
const clusterRole = (name: string, rules: PolicyRule[], extra: Record<string, unknown> = {}) =>
  res({ apiVersion: API, kind: 'ClusterRole', metadata: { name, ...((extra.labels ? { labels: extra.labels } : {}) as object) }, rules, ...(extra.aggregationRule ? { aggregationRule: extra.aggregationRule } : {}) });
const role = (namespace: string, name: string, rules: PolicyRule[]) => res({ apiVersion: API, kind: 'Role', metadata: { name, namespace }, rules });
type Subj = { kind: string; name: string; namespace?: string };
const crb = (name: string, roleName: string, subjects: Subj[], roleKind = 'ClusterRole') =>
  res({ apiVersion: API, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects });
const rb = (namespace: string, name: string, roleKind: 'Role' | 'ClusterRole', roleName: string, subjects: Subj[]) =>
  res({ apiVersion: API, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects });
const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups });
const model = (...rs: Resource[]) => RbacModel.fromResources(rs);

/** A model where `alice` holds one ClusterRole with `rules` cluster-wide. */
const allowedBy = (rules: PolicyRule[], request: Request) =>
  authorize(model(clusterRole('r', rules), crb('b', 'r', [{ kind: 'User', name: 'alice' }])), user('alice'), request).allowed;
const get = (resource: string, extra: Partial<Extract<Request, { resource: string }>> = {}): Request => ({ verb: 'get', apiGroup: '', resource, ...extra });

describe('rule matching (evaluation_helpers.go)', () => {
  it('matches verbs exactly or by *', () => {
    expect(allowedBy([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], get('pods'))).toBe(true);
    expect(allowedBy([{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }], get('pods'))).toBe(false);
    expect(allowedBy([{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }], get('pods', { verb: 'escalate' }))).toBe(true);
    expect(allowedBy([{ verbs: ['Get'], apiGroups: [''], resources: ['pods'] }], get('pods'))).toBe(false);
    // A request for the verb `*` is just a verb: only a rule's `*` (or a literal `*`) matches it.
    expect(allowedBy([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], get('pods', { verb: '*' }))).toBe(false);
  });

  it('matches API groups exactly or by *; the core group is the empty string', () => {
    expect(allowedBy([{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }], get('deployments', { apiGroup: 'apps' }))).toBe(true);
    expect(allowedBy([{ verbs: ['get'], apiGroups: [''], resources: ['deployments'] }], get('deployments', { apiGroup: 'apps' }))).toBe(false);
    expect(allowedBy([{ verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }], get('deployments', { apiGroup: 'apps' }))).toBe(true);
    expect(allowedBy([{ verbs: ['get'], resources: ['pods'] }], get('pods'))).toBe(false); // no apiGroups: no group
  });

  it('matches resource/subresource: * everything, */sub any resource`s sub, nothing else is a pattern', () => {
    const r = (resources: string[]): PolicyRule => ({ verbs: ['*'], resources });
    expect(resourceMatches(r(['*']), 'pods/exec', 'exec')).toBe(true);
    expect(resourceMatches(r(['*']), 'pods', '')).toBe(true);
    expect(resourceMatches(r(['pods']), 'pods/exec', 'exec')).toBe(false);
    expect(resourceMatches(r(['pods/exec']), 'pods/exec', 'exec')).toBe(true);
    expect(resourceMatches(r(['pods/exec']), 'pods', '')).toBe(false);
    expect(resourceMatches(r(['pods/*']), 'pods/exec', 'exec')).toBe(false);
    expect(resourceMatches(r(['pods/*']), 'pods/*', '*')).toBe(true);
    expect(resourceMatches(r(['*/scale']), 'deployments/scale', 'scale')).toBe(true);
    expect(resourceMatches(r(['*/scale']), 'deployments', '')).toBe(false);
    expect(resourceMatches(r(['*/scale']), 'deployments/status', 'status')).toBe(false);
    expect(resourceMatches(r(['*/*']), 'pods/exec', 'exec')).toBe(false);
    expect(resourceMatches(r(['*/sc']), 'deployments/scale', 'scale')).toBe(false);
    expect(allowedBy([{ verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }], { verb: 'update', apiGroup: 'apps', resource: 'statefulsets', subresource: 'scale', name: 'db', namespace: 'x' })).toBe(true);
  });

  it('matches resourceNames: empty list all names; a list never a request without a name, unless it holds ""', () => {
    const rule: PolicyRule = { verbs: ['*'], apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'] };
    expect(ruleAllows(rule, get('secrets', { name: 'tls' }))).toBe(true);
    expect(ruleAllows(rule, get('secrets', { name: 'other' }))).toBe(false);
    for (const verb of ['list', 'watch', 'create', 'deletecollection']) expect(ruleAllows(rule, { verb, apiGroup: '', resource: 'secrets' })).toBe(false);
    expect(ruleAllows({ ...rule, resourceNames: [] }, { verb: 'list', apiGroup: '', resource: 'secrets' })).toBe(true);
    expect(ruleAllows({ ...rule, resourceNames: [''] }, { verb: 'list', apiGroup: '', resource: 'secrets' })).toBe(true);
  });

  it('matches nonResourceURLs exactly, by a trailing * as a prefix, or * alone', () => {
    const r = (...nonResourceURLs: string[]): PolicyRule => ({ verbs: ['get'], nonResourceURLs });
    expect(nonResourceURLMatches(r('/healthz'), '/healthz')).toBe(true);
    expect(nonResourceURLMatches(r('/healthz'), '/healthz/ready')).toBe(false);
    expect(nonResourceURLMatches(r('/healthz/*'), '/healthz/ready')).toBe(true);
    expect(nonResourceURLMatches(r('/healthz/*'), '/healthz/')).toBe(true);
    expect(nonResourceURLMatches(r('/healthz/*'), '/healthz')).toBe(false);
    expect(nonResourceURLMatches(r('/healthz*'), '/healthzzz')).toBe(true);
    expect(nonResourceURLMatches(r('/logs**'), '/logs/x')).toBe(true); // every trailing * trimmed
    expect(nonResourceURLMatches(r('/a*/b'), '/ab/b')).toBe(false); // * only at the end
    expect(nonResourceURLMatches(r('*'), '/anything')).toBe(true);
    expect(ruleAllows(r('/metrics'), { verb: 'post', path: '/metrics' })).toBe(false);
  });

  it('checks a resource request against resource fields only and a non-resource one against URLs only', () => {
    const mixed: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/metrics'] };
    expect(ruleAllows(mixed, get('pods'))).toBe(true);
    expect(ruleAllows(mixed, { verb: 'get', path: '/metrics' })).toBe(true);
    expect(ruleAllows({ verbs: ['get'], nonResourceURLs: ['*'] }, get('pods'))).toBe(false);
    expect(ruleAllows({ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, { verb: 'get', path: '/metrics' })).toBe(false);
  });
});

describe('bindings and scope (rule.go VisitRulesFor)', () => {
  const podReader = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const m = model(
    clusterRole('reader', [podReader]),
    clusterRole('metrics', [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]),
    role('shop', 'local', [podReader]),
    role('other', 'local', [podReader]),
    rb('shop', 'rb-cr', 'ClusterRole', 'reader', [{ kind: 'User', name: 'ns-user' }]),
    rb('shop', 'rb-role', 'Role', 'local', [{ kind: 'User', name: 'role-user' }]),
    rb('shop', 'rb-metrics', 'ClusterRole', 'metrics', [{ kind: 'User', name: 'ns-user' }]),
    crb('crb', 'reader', [{ kind: 'User', name: 'cluster-user' }]),
    crb('crb-metrics', 'metrics', [{ kind: 'User', name: 'cluster-user' }]),
  );
  const pods = (namespace?: string): Request => ({ verb: 'get', apiGroup: '', resource: 'pods', name: 'p', ...(namespace !== undefined ? { namespace } : {}) });

  it('a RoleBinding to a ClusterRole grants only in the binding`s namespace', () => {
    expect(authorize(m, user('ns-user'), pods('shop')).allowed).toBe(true);
    expect(authorize(m, user('ns-user'), pods('other')).allowed).toBe(false);
    expect(authorize(m, user('ns-user'), pods('')).allowed).toBe(false);
    expect(authorize(m, user('ns-user'), pods()).allowed).toBe(false);
  });

  it('a RoleBinding to a Role uses the Role of its own namespace', () => {
    expect(authorize(m, user('role-user'), pods('shop')).allowed).toBe(true);
    expect(authorize(m, user('role-user'), pods('other')).allowed).toBe(false);
  });

  it('a ClusterRoleBinding grants in every namespace, cluster-wide and across namespaces', () => {
    for (const ns of ['shop', 'other', 'kube-system', '']) expect(authorize(m, user('cluster-user'), pods(ns)).allowed).toBe(true);
  });

  it('non-resource rules count only through ClusterRoleBindings', () => {
    expect(authorize(m, user('cluster-user'), { verb: 'get', path: '/metrics' }).allowed).toBe(true);
    expect(authorize(m, user('ns-user'), { verb: 'get', path: '/metrics' }).allowed).toBe(false);
  });

  it('names the grant: binding, role, rule and the subject that matched', () => {
    const d = authorize(m, user('ns-user'), pods('shop'));
    expect(d).toEqual({
      allowed: true,
      reason: 'rbac',
      grants: [
        {
          binding: { kind: 'RoleBinding', name: 'rb-cr', namespace: 'shop' },
          role: { kind: 'ClusterRole', name: 'reader' },
          ruleIndex: 0,
          rule: podReader,
          subject: { kind: 'User', name: 'ns-user' },
        },
      ],
    });
  });
});

describe('subjects (appliesToUser)', () => {
  const r = clusterRole('all', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
  const req: Request = { verb: 'get', apiGroup: '', resource: 'pods', namespace: 'shop' };

  it('a User subject matches the user name, a Group any of the user`s groups', () => {
    const m = model(r, crb('u', 'all', [{ kind: 'User', name: 'alice' }]), crb('g', 'all', [{ kind: 'Group', name: 'dev' }]));
    expect(authorize(m, user('alice'), req).allowed).toBe(true);
    expect(authorize(m, user('bob', 'qa', 'dev'), req).allowed).toBe(true);
    expect(authorize(m, user('bob', 'qa'), req).allowed).toBe(false);
    expect(authorize(m, user('dev'), req).allowed).toBe(false); // a user named like the group
    expect(authorize(m, user('Alice'), req).allowed).toBe(false);
  });

  it('a ServiceAccount matches system:serviceaccount:<ns>:<name>, its namespace defaulting to a RoleBinding`s own', () => {
    const m = model(r, rb('shop', 'b', 'ClusterRole', 'all', [{ kind: 'ServiceAccount', name: 'api' }, { kind: 'ServiceAccount', name: 'web', namespace: 'front' }]));
    expect(authorize(m, user('system:serviceaccount:shop:api'), req).allowed).toBe(true);
    expect(authorize(m, user('system:serviceaccount:front:web'), req).allowed).toBe(true);
    expect(authorize(m, user('system:serviceaccount:front:api'), req).allowed).toBe(false);
    expect(authorize(m, user('system:serviceaccount:shop:web'), req).allowed).toBe(false);
    const grant = authorize(m, user('system:serviceaccount:shop:api'), req);
    expect(grant.allowed && grant.grants[0]!.subject).toEqual({ kind: 'ServiceAccount', name: 'api', namespace: 'shop' });
  });

  it('a ServiceAccount without a namespace in a ClusterRoleBinding matches nobody', () => {
    const m = model(r, crb('b', 'all', [{ kind: 'ServiceAccount', name: 'api' }]));
    for (const name of ['system:serviceaccount::api', 'system:serviceaccount:shop:api', 'api']) expect(authorize(m, user(name), req).allowed).toBe(false);
    expect(whoCan(m, req)).toEqual([]);
  });

  it('a subject of an unknown kind matches nobody', () => {
    const m = model(r, crb('b', 'all', [{ kind: 'Robot', name: 'alice' }]));
    expect(authorize(m, user('alice'), req).allowed).toBe(false);
  });

  it('system:masters is allowed everything, with no binding', () => {
    const d = authorize(model(), user('root', 'system:masters'), { verb: 'delete', apiGroup: '', resource: 'nodes', name: 'n1' });
    expect(d).toEqual({ allowed: true, grants: [], reason: 'system:masters' });
  });

  it('userForServiceAccount gives the groups the authenticator adds', () => {
    expect(userForServiceAccount('shop', 'api')).toEqual({
      name: 'system:serviceaccount:shop:api',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
    });
  });
});

describe('missing roles', () => {
  it('a binding to a missing role grants nothing and is reported', () => {
    const m = model(
      role('shop', 'present', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
      rb('shop', 'to-missing-role', 'Role', 'absent', [{ kind: 'User', name: 'alice' }]),
      rb('other', 'role-elsewhere', 'Role', 'present', [{ kind: 'User', name: 'alice' }]),
      crb('to-missing-cr', 'gone', [{ kind: 'User', name: 'alice' }]),
      crb('crb-to-role', 'present', [{ kind: 'User', name: 'alice' }], 'Role'),
      crb('weird', 'present', [{ kind: 'User', name: 'alice' }], 'Group'),
    );
    expect(authorize(m, user('alice'), { verb: 'get', apiGroup: '', resource: 'pods', namespace: 'shop' }).allowed).toBe(false);
    expect(authorize(m, user('alice'), { verb: 'get', apiGroup: '', resource: 'pods', namespace: 'other' }).allowed).toBe(false);
    expect(m.missingRoles()).toEqual([
      { binding: { kind: 'ClusterRoleBinding', name: 'to-missing-cr' }, roleRef: { kind: 'ClusterRole', name: 'gone' }, reason: 'not-found' },
      { binding: { kind: 'ClusterRoleBinding', name: 'crb-to-role' }, roleRef: { kind: 'Role', name: 'present' }, reason: 'not-found' },
      { binding: { kind: 'ClusterRoleBinding', name: 'weird' }, roleRef: { kind: 'Group', name: 'present' }, reason: 'unsupported-kind' },
      { binding: { kind: 'RoleBinding', name: 'to-missing-role', namespace: 'shop' }, roleRef: { kind: 'Role', name: 'absent', namespace: 'shop' }, reason: 'not-found' },
      { binding: { kind: 'RoleBinding', name: 'role-elsewhere', namespace: 'other' }, roleRef: { kind: 'Role', name: 'present', namespace: 'other' }, reason: 'not-found' },
    ]);
  });
});

describe('ClusterRole aggregation (clusterroleaggregation controller)', () => {
  const r1: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2: PolicyRule = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  const r3: PolicyRule = { verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] };
  const agg = (name: string, selectors: unknown[], rules: PolicyRule[] = [], labels?: Record<string, string>) =>
    clusterRole(name, rules, { aggregationRule: { clusterRoleSelectors: selectors }, ...(labels ? { labels } : {}) });

  it('replaces the role`s own rules by the union: selectors in order, roles by name, first copy kept', () => {
    const m = model(
      clusterRole('b', [r2, r1], { labels: { x: 'y' } }),
      clusterRole('a', [r1], { labels: { x: 'y' } }),
      clusterRole('c', [r3, { ...r1, apiGroups: [''] }], { labels: { z: '1' } }),
      agg('sum', [{ matchLabels: { z: '1' } }, { matchLabels: { x: 'y' } }], [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
    );
    const sum = m.clusterRoles.get('sum')!;
    expect(sum.rules).toEqual([r3, r1, r2]);
    expect(sum.aggregatedFrom).toEqual(['c', 'c', 'b']);
    // The role's own `*` rule is gone.
    expect(authorize(m, user('u'), { verb: 'delete', apiGroup: '', resource: 'pods' }).allowed).toBe(false);
  });

  it('matches matchExpressions, skips itself, and treats a null selector as select-all', () => {
    const m = model(
      clusterRole('in', [r1], { labels: { tier: 'a' } }),
      clusterRole('notin', [r2], { labels: { tier: 'b', keep: '' } }),
      clusterRole('none', [r3]),
      agg('expr', [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }, { key: 'keep', operator: 'Exists' }] }], [], { tier: 'c', keep: '' }),
      agg('everything', [null]),
    );
    expect(m.clusterRoles.get('expr')!.rules).toEqual([r2]);
    expect(m.clusterRoles.get('everything')!.rules).toEqual([r2, r1, r3]); // expr (aggregated: [r2]), in, none, notin; itself skipped
  });

  it('nests: an aggregated role picks another aggregated role`s aggregated rules', () => {
    const m = model(
      agg('admin', [{ matchLabels: { 'to-admin': 'true' } }]),
      agg('edit', [{ matchLabels: { 'to-edit': 'true' } }], [], { 'to-admin': 'true' }),
      clusterRole('edit-extra', [r2], { labels: { 'to-edit': 'true' } }),
      clusterRole('admin-extra', [r3], { labels: { 'to-admin': 'true' } }),
    );
    expect(m.clusterRoles.get('edit')!.rules).toEqual([r2]);
    expect(m.clusterRoles.get('admin')!.rules).toEqual([r3, r2]); // admin-extra, then edit
    expect(m.clusterRoles.get('admin')!.aggregatedFrom).toEqual(['admin-extra', 'edit-extra']);
  });

  it('de-duplicates rules as Semantic.DeepEqual does: lists in order, an absent list equal to an empty one', () => {
    const m = model(
      clusterRole('a', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }], { labels: { x: 'y' } }),
      clusterRole('b', [r1, { verbs: ['get'], apiGroups: [''], resources: ['pods'], nonResourceURLs: [] }, { verbs: ['get'], resources: ['pods'], apiGroups: [''] }], { labels: { x: 'y' } }),
      clusterRole('c', [{ verbs: ['list', 'get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], { labels: { x: 'y' } }),
      agg('sum', [{ matchLabels: { x: 'y' } }]),
    );
    expect(m.clusterRoles.get('sum')!.rules).toEqual([
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
      { verbs: ['list', 'get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
    ]);
  });

  it('empties the rules of a role whose aggregationRule picks nothing, and does not depend on input order', () => {
    const objs = [
      agg('none', [{ matchLabels: { nobody: 'here' } }], [r1]),
      agg('no-selectors', [], [r1]),
      clusterRole('z', [r3], { labels: { x: 'y' } }),
      clusterRole('y', [r2], { labels: { x: 'y' } }),
      agg('top', [{ matchLabels: { t: '1' } }]),
      agg('mid', [{ matchLabels: { x: 'y' } }], [], { t: '1' }),
    ];
    const a = model(...objs);
    const b = model(...[...objs].reverse());
    for (const m of [a, b]) {
      expect(m.clusterRoles.get('none')!.rules).toEqual([]);
      expect(m.clusterRoles.get('no-selectors')!.rules).toEqual([]);
      expect(m.clusterRoles.get('top')!.rules).toEqual([r2, r3]);
    }
  });

  it('takes the first of two objects of the same kind, namespace and name', () => {
    const m = model(clusterRole('r', [r1]), clusterRole('r', [r2]), crb('b', 'r', [{ kind: 'User', name: 'u' }]));
    expect(m.clusterRoles.get('r')!.rules).toEqual([r1]);
  });

  it('keeps the stored rules of a role with an invalid selector, and reports cycles', () => {
    const res = aggregateClusterRoles([
      { name: 'bad', labels: {}, rules: [r1], aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }] } },
      { name: 'p', labels: { loop: 'q' }, rules: [r1], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { loop: 'p' } }] } },
      { name: 'q', labels: { loop: 'p' }, rules: [r2], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { loop: 'q' } }] } },
    ]);
    expect(res.aggregated.has('bad')).toBe(false);
    expect(res.invalid.get('bad')).toMatch(/needs at least one value/);
    expect(res.cyclic).toEqual(['p', 'q']);
  });

  it('aggregates defaults and input together; defaults fill only what the input lacks', () => {
    const view = agg('view', [{ matchLabels: { 'aggregate-to-view': 'true' } }]);
    const defaultsOnly = clusterRole('system:basic-user', [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'] }]);
    const inv = new Inventory();
    inv.add(clusterRole('crd-viewer', [r3], { labels: { 'aggregate-to-view': 'true' } }));
    inv.add(clusterRole('system:basic-user', [r1]));
    inv.add(crb('b', 'view', [{ kind: 'Group', name: 'dev' }]));
    const m = RbacModel.fromInventory(inv, { defaults: [view, defaultsOnly] });
    expect(m.clusterRoles.get('view')!.rules).toEqual([r3]);
    expect(m.clusterRoles.get('view')!.fromDefaults).toBe(true);
    expect(m.clusterRoles.get('system:basic-user')!.rules).toEqual([r1]);
    expect(m.clusterRoles.get('system:basic-user')!.fromDefaults).toBe(false);
    expect(authorize(m, user('x', 'dev'), { verb: 'get', apiGroup: 'apps', resource: 'deployments', namespace: 'n' }).allowed).toBe(true);
  });
});

describe('whoCan and rulesFor', () => {
  const m = model(
    clusterRole('reader', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] }]),
    clusterRole('other', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]),
    crb('readers', 'reader', [{ kind: 'Group', name: 'auditors' }, { kind: 'User', name: 'alice' }]),
    rb('shop', 'local', 'ClusterRole', 'reader', [{ kind: 'ServiceAccount', name: 'api' }, { kind: 'User', name: 'alice' }]),
    rb('other', 'far', 'ClusterRole', 'reader', [{ kind: 'User', name: 'bob' }]),
    rb('shop', 'cm', 'ClusterRole', 'other', [{ kind: 'User', name: 'carol' }]),
  );

  it('lists every subject that gets the request, with each grant', () => {
    const who = whoCan(m, { verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'shop' });
    expect(who.map((w) => [w.subject, w.grants.map((g) => g.binding.name)])).toEqual([
      [{ kind: 'User', name: 'alice' }, ['readers', 'local']],
      [{ kind: 'Group', name: 'auditors' }, ['readers']],
      [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }, ['local']],
    ]);
  });

  it('cluster-wide requests count ClusterRoleBindings only, unless anyNamespace', () => {
    const req: Request = { verb: 'list', apiGroup: '', resource: 'secrets' };
    expect(whoCan(m, req).map((w) => w.subject.name)).toEqual(['alice', 'auditors']);
    expect(whoCan(m, req, { anyNamespace: true }).map((w) => w.subject.name)).toEqual(['alice', 'bob', 'auditors', 'api']);
  });

  it('agrees with authorize for every subject it names', () => {
    const req: Request = { verb: 'get', apiGroup: '', resource: 'secrets', name: 's', namespace: 'shop' };
    for (const w of whoCan(m, req)) {
      const u = w.subject.kind === 'Group' ? user('someone', w.subject.name) : w.subject.kind === 'User' ? user(w.subject.name) : user(`system:serviceaccount:${w.subject.namespace}:${w.subject.name}`);
      expect(authorize(m, u, req).allowed).toBe(true);
    }
  });

  it('rulesFor gives every rule that applies to the user in a namespace', () => {
    expect(rulesFor(m, user('alice'), 'shop').map((g) => `${g.binding.name}:${g.role.name}:${g.ruleIndex}`)).toEqual(['readers:reader:0', 'local:reader:0']);
    expect(rulesFor(m, user('alice'), '').map((g) => g.binding.name)).toEqual(['readers']);
    expect(rulesFor(m, user('carol'), 'other')).toEqual([]);
  });
});
