/**
 * Risky-permission holdings and the token-theft comparison: scopes as the authorizer grants them,
 * the bit-set shortcuts against the plain computation on random RBAC configurations, and the
 * token-theft summary against a brute force over every namespace and account.
 */
import { describe, expect, it } from 'vitest';
import { Resource, type KubeObject } from '../../src/core/resource.js';
import { bitsOf, coversHolding, seenFrom } from '../../src/engines/rbac/holding-bits.js';
import { riskyBits, riskyBitsAdding, riskyHoldings, type Holding } from '../../src/engines/rbac/holdings.js';
import { RbacModel } from '../../src/engines/rbac/model.js';
import { userForServiceAccount, userOfSubject } from '../../src/engines/rbac/subjects.js';
import { TokenTheft } from '../../src/engines/rbac/token-theft.js';
import type { Subject } from '../../src/engines/rbac/types.js';
import { chance, mulberry32, pick, type Rand } from '../helpers/random.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const res = (obj: KubeObject) => new Resource(obj, { basePath: [] }, obj.metadata?.namespace);
const describeAll = (hs: readonly Holding[]) => hs.map((h) => `${h.risk.id}:${h.permission.verb} ${h.permission.on}@${h.scope || '*'}`);

describe('riskyHoldings', () => {
  const model = RbacModel.fromResources(
    [
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'mixed' }, rules: [{ apiGroups: [''], resources: ['secrets', 'nodes/proxy', 'configmaps'], verbs: ['get', 'update'] }] },
      { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'in-shop', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'mixed' }, subjects: [{ kind: 'User', name: 'alice' }] },
      { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'in-ks', namespace: 'kube-system' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'mixed' }, subjects: [{ kind: 'User', name: 'alice' }] },
    ].map((o) => res(o as KubeObject)),
  );
  const alice = userOfSubject({ kind: 'User', name: 'alice' });

  it('a RoleBinding grants namespaced permissions in its namespace only, and never cluster-scoped ones', () => {
    expect(describeAll(riskyHoldings(model, alice, 'shop'))).toEqual(['secrets-read:get secrets@shop', 'kube-system-configmaps:update configmaps@kube-system']);
    expect(describeAll(riskyHoldings(model, alice, 'web'))).toEqual(['kube-system-configmaps:update configmaps@kube-system']);
    // Asked cluster-wide: only what names a namespace of its own (kube-system's ConfigMaps) comes from a RoleBinding.
    expect(describeAll(riskyHoldings(model, alice, ''))).toEqual(['kube-system-configmaps:update configmaps@kube-system']);
    expect(describeAll(riskyHoldings(model, alice, 'kube-system'))).toEqual(['secrets-read:get secrets@kube-system', 'kube-system-configmaps:update configmaps@kube-system']);
  });

  it('names the grant: binding, role and rule', () => {
    const [h] = riskyHoldings(model, alice, 'shop');
    expect(h!.grant).toMatchObject({ binding: { kind: 'RoleBinding', name: 'in-shop', namespace: 'shop' }, role: { kind: 'ClusterRole', name: 'mixed' }, ruleIndex: 0 });
  });
});

/** A random cluster: namespaces, accounts, roles with risky and plain rules, bindings to users, groups and accounts. */
function randomModel(r: Rand): { model: RbacModel; accounts: Map<string, Set<string>>; subjects: Subject[] } {
  const namespaces = ['kube-system', 'shop', 'web', 'data'];
  const accounts = new Map(namespaces.map((ns) => [ns, new Set(['default', 'a', 'b'])]));
  const RULES = [
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['update'] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { apiGroups: [''], resources: ['services'], verbs: ['list'] },
  ];
  const subjects: Subject[] = [
    { kind: 'User', name: 'u1' },
    { kind: 'User', name: 'u2' },
    { kind: 'Group', name: 'g1' },
    { kind: 'Group', name: 'system:serviceaccounts:shop' },
    ...namespaces.flatMap((ns) => ['default', 'a', 'b'].map((name): Subject => ({ kind: 'ServiceAccount', name, namespace: ns }))),
  ];
  const objects: KubeObject[] = [];
  for (let i = 0; i < 8; i++) objects.push({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `cr${i}` }, rules: [pick(r, RULES), ...(chance(r, 0.5) ? [pick(r, RULES)] : [])] } as KubeObject);
  for (let i = 0; i < 12; i++) {
    const subs = [pick(r, subjects), ...(chance(r, 0.3) ? [pick(r, subjects)] : [])].map((s) => ({ ...s, ...(s.kind !== 'ServiceAccount' ? { apiGroup: 'rbac.authorization.k8s.io' } : {}) }));
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr${Math.floor(r() * 8)}` };
    if (chance(r, 0.3)) objects.push({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: `crb${i}` }, roleRef, subjects: subs } as KubeObject);
    else objects.push({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `rb${i}`, namespace: pick(r, namespaces) }, roleRef, subjects: subs } as KubeObject);
  }
  return { model: RbacModel.fromResources(objects.map(res)), accounts, subjects };
}

/** Whether `held` covers `h`, written plainly: the same permission in the same scope, or cluster-wide. */
const covered = (held: readonly Holding[], h: Holding) => held.some((x) => x.order === h.order && (x.scope === '' || x.scope === h.scope));

describe('the bit-set shortcuts agree with the plain computation on random clusters', () => {
  it('riskyBitsAdding(cluster-wide bits) equals riskyBits, and bits cover exactly what holdings cover (80 clusters)', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const r = mulberry32(seed);
      const { model, subjects, accounts } = randomModel(r);
      for (const s of subjects) {
        const user = userOfSubject(s);
        const cluster = riskyBits(model, user, '');
        for (const ns of accounts.keys()) {
          expect(riskyBitsAdding(model, user, ns, cluster), `seed ${seed} ${s.name} in ${ns}`).toEqual(riskyBits(model, user, ns));
          expect(seenFrom(cluster, ns).allLo).toBe(cluster.allLo);
          const held = riskyHoldings(model, user, ns);
          const bits = bitsOf(held, ns);
          for (const other of subjects) {
            for (const h of riskyHoldings(model, userOfSubject(other), ns)) expect(coversHolding(bits, h, ns), `seed ${seed}`).toBe(covered(held, h));
          }
        }
      }
    }
  });

  it('TokenTheft summaries equal a brute force over every namespace and account (300 clusters)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { model, subjects, accounts } = randomModel(mulberry32(seed));
      const theft = new TokenTheft(model, accounts);
      for (const s of subjects) {
        const brute = (namespaces: readonly string[]) => {
          const gains: Array<{ ns: string; name: string; count: number }> = [];
          for (const ns of namespaces) {
            const held = riskyHoldings(model, userOfSubject(s), ns);
            for (const name of [...accounts.get(ns)!].sort()) {
              if (s.kind === 'ServiceAccount' && s.namespace === ns && s.name === name) continue;
              const extra = riskyHoldings(model, userForServiceAccount(ns, name), ns).filter((h) => !covered(held, h));
              const count = new Set(extra.map((h) => h.order)).size;
              if (count) gains.push({ ns, name, count });
            }
          }
          return gains;
        };
        const check = (got: ReturnType<TokenTheft['summaryIn']>, want: ReturnType<typeof brute>, what: string) => {
          if (want.length === 0) return expect(got, what).toBeUndefined();
          expect(got?.accounts, what).toBe(want.length);
          expect(got?.namespaces, what).toBe(new Set(want.map((g) => g.ns)).size);
          const top = Math.max(...want.map((g) => g.count));
          expect(want.filter((g) => g.count === top).map((g) => `${g.ns}/${g.name}`), what).toContain(`${got!.best.namespace}/${got!.best.name}`);
          expect(got!.best.gains.length, what).toBeGreaterThan(0);
        };
        check(theft.summaryEverywhere(s), brute([...accounts.keys()]), `seed ${seed} ${s.kind} ${s.name} everywhere`);
        for (const ns of accounts.keys()) check(theft.summaryIn(s, ns), brute([ns]), `seed ${seed} ${s.kind} ${s.name} in ${ns}`);
      }
    }
  });
});
