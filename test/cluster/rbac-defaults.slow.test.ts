/**
 * Freshness of the committed default RBAC objects (src/engines/rbac/defaults/v<minor>.json,
 * made by scripts/update-rbac-defaults.sh): a REAL kube-apiserver of the pinned release creates
 * its bootstrap RBAC objects at startup, and the ClusterRoles, ClusterRoleBindings, Roles and
 * RoleBindings it holds labelled `kubernetes.io/bootstrapping=rbac-defaults` must be exactly the
 * JSON's: the same set of objects, and each one field for field (labels, annotations, rules,
 * aggregationRule, subjects, roleRef), server metadata (uid, resourceVersion, ...) aside.
 *
 * The one expected difference: the JSON has the aggregated ClusterRoles (admin, edit, view) as
 * the API server creates them, with no rules; kube-controller-manager's clusterrole-aggregation
 * controller then fills them in. Their rules on the server are compared with the union computed
 * from the JSON's own contributors the way that controller computes it (per selector, matching
 * roles by name, rules in order, exact duplicates dropped; to a fixed point, since edit feeds
 * admin and view feeds edit), which also proves the JSON's aggregation labels are right.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { defaultRbacObjects } from '../../src/engines/rbac/defaults/index.js';
import { K8S_VERSION, eventually, startCluster, type Cluster } from '../helpers/cluster.js';

const RBAC_V1 = 'rbac.authorization.k8s.io/v1';
const SELECTOR = encodeURIComponent('kubernetes.io/bootstrapping=rbac-defaults');
const RESOURCES = { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', Role: 'roles', RoleBinding: 'rolebindings' } as const;
/** What the server sets on every object; not part of what the bootstrap policy says. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];

type Obj = KubeObject & Record<string, any>;
type Rule = Record<string, unknown>;

const defaults = defaultRbacObjects(K8S_VERSION);
const expected = defaults.objects as Obj[];
const keyOf = (o: Obj) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
const isAggregated = (o: Obj) => o.kind === 'ClusterRole' && o.aggregationRule != null;

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

/** Every object of a kind labelled as a bootstrap object, with apiVersion/kind set as in the JSON. */
async function listDefaults(kind: keyof typeof RESOURCES): Promise<Obj[]> {
  const r = await cluster.request('GET', `/apis/${RBAC_V1}/${RESOURCES[kind]}?labelSelector=${SELECTOR}`);
  if (r.status !== 200) throw new Error(`listing ${kind}s: ${r.status} ${r.text.slice(0, 300)}`);
  expect(r.body.metadata.continue ?? '').toBe('');
  return (r.body.items as Obj[]).map((o) => ({ ...o, apiVersion: RBAC_V1, kind }));
}

/** The object as the bootstrap policy states it: no server metadata; absent rules are `[]` (Go's nil and empty slices are the same). */
function comparable(o: Obj): Obj {
  const c = structuredClone(o);
  for (const k of SERVER_METADATA) delete c.metadata![k];
  if (c.kind === 'ClusterRole' || c.kind === 'Role') c.rules = (c.rules ?? []).map(normRule);
  return c;
}

/** A PolicyRule with an absent list as `[]`, as the aggregation controller's semantic equality has it. */
function normRule(r: Rule): Rule {
  const out: Rule = { ...r };
  for (const k of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) out[k] = (r[k] as unknown[] | undefined) ?? [];
  return out;
}

function matches(labels: Record<string, string> | undefined, selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }): boolean {
  if (selector.matchExpressions?.length) throw new Error('matchExpressions in a default aggregationRule: extend this test');
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}

/**
 * The rules the clusterrole-aggregation controller gives each aggregated ClusterRole of `roles`,
 * as in k8s.io/kubernetes/pkg/controller/clusterroleaggregation (syncClusterRole): for each
 * selector in order, the matching ClusterRoles other than itself sorted by name, their rules in
 * order, skipping a rule equal to one already taken. Repeated until nothing changes, as the
 * controller re-syncs every aggregated role whenever any ClusterRole changes.
 */
function aggregate(roles: readonly Obj[]): Map<string, Rule[]> {
  const rules = new Map(roles.map((r) => [r.metadata!.name!, (r.rules ?? []).map(normRule) as Rule[]]));
  const byName = [...roles].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0));
  for (let round = 0; ; round++) {
    if (round > 20) throw new Error('aggregation does not converge');
    let changed = false;
    for (const role of roles.filter(isAggregated)) {
      const out: Rule[] = [];
      const seen = new Set<string>();
      for (const selector of role.aggregationRule.clusterRoleSelectors ?? []) {
        for (const other of byName) {
          if (other.metadata!.name === role.metadata!.name || !matches(other.metadata!.labels, selector)) continue;
          for (const rule of rules.get(other.metadata!.name!)!) {
            const k = canonical(rule);
            if (!seen.has(k)) {
              seen.add(k);
              out.push(rule);
            }
          }
        }
      }
      if (canonical(out) !== canonical(rules.get(role.metadata!.name!))) {
        rules.set(role.metadata!.name!, out);
        changed = true;
      }
    }
    if (!changed) return new Map(roles.filter(isAggregated).map((r) => [r.metadata!.name!, rules.get(r.metadata!.name!)!]));
  }
}

/** JSON with object keys sorted (array order kept). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}

describe(`the committed default RBAC objects (${defaults.version}) are what kube-apiserver ${K8S_VERSION} creates`, () => {
  test('the JSON is the pinned minor\'s', () => {
    expect(cluster.version).toBe(K8S_VERSION);
    expect(K8S_VERSION.startsWith(`${defaults.version}.`)).toBe(true);
  });

  test('aggregated ClusterRoles: the controller fills them with the union of the JSON\'s contributors', async () => {
    const want = aggregate(expected.filter((o) => o.kind === 'ClusterRole'));
    expect([...want.keys()].sort()).toEqual(['admin', 'edit', 'view']);
    for (const rules of want.values()) expect(rules.length).toBeGreaterThan(0);
    let last = new Map<string, Rule[]>();
    const done = await eventually(
      'the clusterrole-aggregation controller to fill admin, edit and view',
      async () => {
        const onServer = new Map((await listDefaults('ClusterRole')).filter(isAggregated).map((r) => [r.metadata!.name!, ((r.rules ?? []) as Rule[]).map(normRule)]));
        last = onServer;
        return [...want].every(([name, rules]) => canonical(onServer.get(name)) === canonical(rules)) ? true : undefined;
      },
      30_000,
    ).catch(() => false);
    if (!done) {
      // Show the difference.
      for (const [name, rules] of want) expect(last.get(name), name).toEqual(rules);
    }
    expect(done).toBe(true);
  });

  test('the same objects, field for field (aggregated roles\' controller-filled rules aside)', async () => {
    const onServer: Obj[] = [];
    for (const kind of Object.keys(RESOURCES) as Array<keyof typeof RESOURCES>) onServer.push(...(await listDefaults(kind)));

    const serverKeys = onServer.map(keyOf).sort();
    const jsonKeys = expected.map(keyOf).sort();
    expect(serverKeys.filter((k) => !jsonKeys.includes(k)), 'on the server, not in the JSON').toEqual([]);
    expect(jsonKeys.filter((k) => !serverKeys.includes(k)), 'in the JSON, not on the server').toEqual([]);
    expect(onServer).toHaveLength(expected.length);

    const server = new Map(onServer.map((o) => [keyOf(o), comparable(o)]));
    const mismatched: string[] = [];
    for (const want of expected) {
      const got = server.get(keyOf(want))!;
      // Compared in the previous test: the JSON has them as created, before the controller ran.
      if (isAggregated(want)) got.rules = [];
      if (canonical(got) !== canonical(comparable(want))) mismatched.push(keyOf(want));
    }
    // Name them all, then show the first difference in full.
    expect(mismatched).toEqual([]);
    for (const want of expected) expect(server.get(keyOf(want)), keyOf(want)).toEqual(comparable(want));

    const count = (k: string) => expected.filter((o) => o.kind === k).length;
    console.info(
      `${defaults.version}: ${expected.length} objects equal the API server's (${count('ClusterRole')} ClusterRoles, ` +
        `${count('ClusterRoleBinding')} ClusterRoleBindings, ${count('Role')} Roles, ${count('RoleBinding')} RoleBindings)`,
    );
  });
});
