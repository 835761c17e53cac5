/**
 * The built-in RBAC objects (src/engines/rbac/defaults): each committed JSON's shape and the
 * well-known objects in it, known differences between releases, and the loader's version
 * choice. That the pinned minor's JSON equals what the pinned API server creates is
 * test/cluster/rbac-defaults.slow.test.ts's job; the other minors' files are made by
 * scripts/update-rbac-defaults.sh <version> from that release's bootstrappolicy package.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { BOOTSTRAPPING_LABEL, defaultRbacObjects, rbacDefaultVersions } from '../../src/engines/rbac/defaults/index.js';
import { K8S_VERSION } from '../helpers/cluster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PINNED_MINOR = /^v\d+\.\d+/.exec(K8S_VERSION)![0];
const jsonFile = (minor: string) => `${ROOT}src/engines/rbac/defaults/${minor}.json`;
const JSON_FILE = jsonFile(PINNED_MINOR);
const RBAC = 'rbac.authorization.k8s.io';
/** The minors generated from upstream releases (scripts/update-rbac-defaults.sh v1.X.Y): the pinned one and the four before it. */
const GENERATED_MINORS = ['v1.33', 'v1.34', 'v1.35', 'v1.36', 'v1.37'];
const VERSIONS = rbacDefaultVersions();

type Obj = KubeObject & { metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> } } & Record<string, any>;

interface Defaults {
  version: string;
  objects: Obj[];
  byKey: Map<string, Obj>;
  get: (kind: string, name: string, namespace?: string) => Obj;
  clusterRoles: Obj[];
}
const cache = new Map<string, Defaults>();
/** The defaults the loader gives for a Kubernetes version (e.g. `v1.34.2` -> v1.34.json). */
function defaultsFor(kubernetesVersion: string): Defaults {
  const hit = cache.get(kubernetesVersion);
  if (hit) return hit;
  const { version, objects } = defaultRbacObjects(kubernetesVersion) as { version: string; objects: Obj[] };
  const byKey = new Map(objects.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const get = (kind: string, name: string, namespace = ''): Obj => {
    const o = byKey.get(`${kind}/${namespace}/${name}`);
    if (!o) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${name} in the ${version} defaults`);
    return o;
  };
  const d: Defaults = { version, objects, byKey, get, clusterRoles: objects.filter((o) => o.kind === 'ClusterRole') };
  cache.set(kubernetesVersion, d);
  return d;
}
const { version, objects } = defaultsFor(K8S_VERSION);
const group = (name: string) => ({ kind: 'Group', apiGroup: RBAC, name });

describe('the committed JSON files', () => {
  test('there is one for the Kubernetes minor pinned in tools/test-cluster/go.mod, and it is the one used for that version', () => {
    expect(rbacDefaultVersions()).toContain(PINNED_MINOR);
    expect(version).toBe(PINNED_MINOR);
  });

  test('there is one for each generated minor, oldest first', () => {
    expect(VERSIONS).toEqual(expect.arrayContaining(GENERATED_MINORS));
    expect(VERSIONS.filter((v) => GENERATED_MINORS.includes(v))).toEqual(GENERATED_MINORS);
  });
});

describe.each(VERSIONS)('the committed JSON of %s', (minor) => {
  const { version, objects, byKey } = defaultsFor(`${minor}.0`);

  test('is the one the loader uses for that minor', () => {
    expect(version).toBe(minor);
  });

  test('is a List with one object per line, sorted by kind, namespace and name, without duplicates', () => {
    const lines = readFileSync(jsonFile(minor), 'utf8').split('\n');
    expect(lines[0]).toBe('{"apiVersion":"v1","kind":"List","items":[');
    expect(lines.at(-2)).toBe(']}');
    expect(lines.at(-1)).toBe('');
    const items = lines.slice(1, -2);
    expect(items).toHaveLength(objects.length);
    items.forEach((line, i) => expect(JSON.parse(line.replace(/,$/, ''))).toEqual(objects[i]));
    const keys = objects.map((o) => [o.kind, o.metadata.namespace ?? '', o.metadata.name]);
    const cmp = (a: string[], b: string[]) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : a[2]! < b[2]! ? -1 : a[2]! > b[2]! ? 1 : 0);
    for (let i = 1; i < keys.length; i++) expect(cmp(keys[i - 1]!, keys[i]!), `${keys[i - 1]} before ${keys[i]}`).toBeLessThan(0);
  });

  test('holds only rbac/v1 ClusterRoles, ClusterRoleBindings, Roles and RoleBindings, labelled and annotated as bootstrap objects, without volatile metadata', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
    for (const o of objects) {
      expect(o.apiVersion).toBe(`${RBAC}/v1`);
      expect(o.metadata.labels[BOOTSTRAPPING_LABEL.key], o.metadata.name).toBe(BOOTSTRAPPING_LABEL.value);
      expect(o.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], o.metadata.name).toBe('true');
      expect(Object.keys(o.metadata).sort()).toEqual(o.kind.startsWith('Cluster') ? ['annotations', 'labels', 'name'] : ['annotations', 'labels', 'name', 'namespace']);
      if (o.kind.endsWith('Role')) expect(Array.isArray(o.rules), o.metadata.name).toBe(true);
    }
  });

  test('counts', () => {
    const count = (k: string) => objects.filter((o) => o.kind === k).length;
    // Upstream adds roles now and then; these bounds only catch a truncated or empty file.
    expect(count('ClusterRole')).toBeGreaterThan(60);
    expect(count('ClusterRoleBinding')).toBeGreaterThan(45);
    expect(count('Role')).toBeGreaterThanOrEqual(6);
    expect(count('RoleBinding')).toBeGreaterThanOrEqual(6);
  });

  test('every binding refers to a role in the defaults (a Role in its own namespace)', () => {
    for (const b of objects.filter((o) => o.kind.endsWith('Binding'))) {
      expect(b.roleRef.apiGroup).toBe(RBAC);
      const ns = b.roleRef.kind === 'Role' ? b.metadata.namespace : '';
      expect(byKey.has(`${b.roleRef.kind}/${ns ?? ''}/${b.roleRef.name}`), `${b.kind} ${b.metadata.name} -> ${b.roleRef.kind} ${b.roleRef.name}`).toBe(true);
    }
  });
});

describe.each(VERSIONS)('well-known objects in %s', (minor) => {
  const { get, objects, clusterRoles } = defaultsFor(`${minor}.0`);

  test('cluster-admin: every verb on every resource of every group, and every non-resource URL', () => {
    expect(get('ClusterRole', 'cluster-admin').rules).toEqual([
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ]);
    expect(get('ClusterRole', 'cluster-admin').aggregationRule).toBeUndefined();
  });

  test('the cluster-admin ClusterRoleBinding gives it to the system:masters group', () => {
    const b = get('ClusterRoleBinding', 'cluster-admin');
    expect(b.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: 'cluster-admin' });
    expect(b.subjects).toEqual([group('system:masters')]);
  });

  test('admin, edit and view are aggregated (no rules of their own) from the roles labelled aggregate-to-*', () => {
    for (const name of ['admin', 'edit', 'view']) {
      const r = get('ClusterRole', name);
      expect(r.rules, name).toEqual([]);
      expect(r.aggregationRule, name).toEqual({ clusterRoleSelectors: [{ matchLabels: { [`${RBAC}/aggregate-to-${name}`]: 'true' } }] });
    }
    const contributors = (name: string) =>
      clusterRoles
        .filter((r) => r.metadata.labels[`${RBAC}/aggregate-to-${name}`] === 'true')
        .map((r) => r.metadata.name)
        .sort();
    // view feeds edit, which feeds admin: admin ⊇ edit ⊇ view.
    expect(contributors('admin')).toEqual(['edit', 'system:aggregate-to-admin']);
    expect(contributors('edit')).toEqual(['system:aggregate-to-edit', 'view']);
    expect(contributors('view')).toEqual(['system:aggregate-to-view']);
    for (const name of ['admin', 'edit', 'view']) expect(get('ClusterRole', `system:aggregate-to-${name}`).rules.length, name).toBeGreaterThan(0);
    // view's contributor only reads.
    for (const rule of get('ClusterRole', 'system:aggregate-to-view').rules) expect(['get', 'list', 'watch']).toEqual(expect.arrayContaining(rule.verbs));
    // No other role is aggregated.
    expect(clusterRoles.filter((r) => r.aggregationRule).map((r) => r.metadata.name).sort()).toEqual(['admin', 'edit', 'view']);
  });

  test('system:basic-user, system:discovery and system:public-info-viewer are bound to every authenticated user; public-info-viewer also to the unauthenticated', () => {
    for (const name of ['system:basic-user', 'system:discovery']) {
      const b = get('ClusterRoleBinding', name);
      expect(b.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name });
      expect(b.subjects).toEqual([group('system:authenticated')]);
    }
    const p = get('ClusterRoleBinding', 'system:public-info-viewer');
    expect(p.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: 'system:public-info-viewer' });
    expect(p.subjects).toEqual([group('system:authenticated'), group('system:unauthenticated')]);
    expect(get('ClusterRole', 'system:public-info-viewer').rules).toEqual([{ verbs: ['get'], nonResourceURLs: expect.arrayContaining(['/healthz', '/livez', '/readyz', '/version', '/version/']) }]);
    expect(get('ClusterRole', 'system:discovery').rules).toEqual([{ verbs: ['get'], nonResourceURLs: expect.arrayContaining(['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*']) }]);
    expect(get('ClusterRole', 'system:basic-user').rules).toEqual([
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ]);
  });

  test('system:node has a ClusterRole and a ClusterRoleBinding with no subjects (the Node authorizer handles kubelets)', () => {
    expect(get('ClusterRole', 'system:node').rules.length).toBeGreaterThan(10);
    const b = get('ClusterRoleBinding', 'system:node');
    expect(b.roleRef.name).toBe('system:node');
    expect(b.subjects).toBeUndefined();
  });

  test('each system:controller:* ClusterRole is bound to the kube-system ServiceAccount of that controller', () => {
    const controllers = clusterRoles.filter((r) => r.metadata.name.startsWith('system:controller:'));
    expect(controllers.length).toBeGreaterThan(30);
    expect(controllers.map((r) => r.metadata.name)).toEqual(expect.arrayContaining(['system:controller:replicaset-controller', 'system:controller:namespace-controller', 'system:controller:clusterrole-aggregation-controller']));
    for (const r of controllers) {
      const b = get('ClusterRoleBinding', r.metadata.name);
      expect(b.roleRef).toEqual({ apiGroup: RBAC, kind: 'ClusterRole', name: r.metadata.name });
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: r.metadata.name.slice('system:controller:'.length), namespace: 'kube-system' }]);
    }
  });

  test('namespaced Roles and RoleBindings in kube-system and kube-public only', () => {
    const namespaced = objects.filter((o) => o.kind === 'Role' || o.kind === 'RoleBinding');
    expect([...new Set(namespaced.map((o) => o.metadata.namespace))].sort()).toEqual(['kube-public', 'kube-system']);
    expect(get('Role', 'extension-apiserver-authentication-reader', 'kube-system').rules).toEqual([
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'] },
    ]);
    expect(get('RoleBinding', 'system::extension-apiserver-authentication-reader', 'kube-system').subjects).toEqual([
      { kind: 'User', apiGroup: RBAC, name: 'system:kube-controller-manager' },
      { kind: 'User', apiGroup: RBAC, name: 'system:kube-scheduler' },
    ]);
    get('Role', 'system::leader-locking-kube-controller-manager', 'kube-system');
    get('Role', 'system::leader-locking-kube-scheduler', 'kube-system');
    get('Role', 'system:controller:bootstrap-signer', 'kube-system');
    get('Role', 'system:controller:token-cleaner', 'kube-system');
    expect(get('Role', 'system:controller:bootstrap-signer', 'kube-public').rules).toContainEqual({ verbs: ['update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-info'] });
    expect(get('RoleBinding', 'system:controller:bootstrap-signer', 'kube-public').subjects).toEqual([{ kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' }]);
  });
});

// Found by diffing the generated files; each is a change in upstream's bootstrappolicy package
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) or in the default of a feature gate it reads.
describe('differences between releases', () => {
  const has = (minor: string, kind: string, name: string, namespace = '') => defaultsFor(`${minor}.0`).byKey.has(`${kind}/${namespace}/${name}`);
  const rules = (minor: string, kind: string, name: string, namespace = '') => defaultsFor(`${minor}.0`).get(kind, name, namespace).rules as object[];
  const before = (minor: string) => GENERATED_MINORS.slice(0, GENERATED_MINORS.indexOf(minor));
  const from = (minor: string) => GENERATED_MINORS.slice(GENERATED_MINORS.indexOf(minor));

  test('the files of different minors differ', () => {
    const texts = GENERATED_MINORS.map((v) => readFileSync(jsonFile(v), 'utf8'));
    expect(new Set(texts).size).toBe(GENERATED_MINORS.length);
  });

  test('v1.34: system:controller:resource-claim-controller (DynamicResourceAllocation went GA, on by default, in 1.34; an off-by-default beta in 1.33)', () => {
    for (const v of before('v1.34')) {
      expect(has(v, 'ClusterRole', 'system:controller:resource-claim-controller'), v).toBe(false);
      expect(has(v, 'ClusterRoleBinding', 'system:controller:resource-claim-controller'), v).toBe(false);
      expect(rules(v, 'ClusterRole', 'system:aggregate-to-edit'), v).not.toContainEqual(expect.objectContaining({ apiGroups: ['resource.k8s.io'] }));
    }
    for (const v of from('v1.34')) {
      expect(rules(v, 'ClusterRole', 'system:controller:resource-claim-controller'), v).toContainEqual({ verbs: ['create', 'delete', 'get', 'list', 'watch'], apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'] });
      expect(defaultsFor(`${v}.0`).get('ClusterRoleBinding', 'system:controller:resource-claim-controller').subjects, v).toEqual([{ kind: 'ServiceAccount', name: 'resource-claim-controller', namespace: 'kube-system' }]);
      // ... and users who may edit a namespace may create ResourceClaims in it.
      expect(rules(v, 'ClusterRole', 'system:aggregate-to-edit'), v).toContainEqual({ verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'], apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaimtemplates'] });
    }
  });

  test('v1.35: the leader-locking Roles lost their ConfigMap rules (namespace_policy.go: "leader locking on supplied lease"; ConfigMap locks are gone)', () => {
    for (const component of ['kube-controller-manager', 'kube-scheduler']) {
      const role = `system::leader-locking-${component}`;
      const configMapLock = { verbs: ['get', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: [component] };
      for (const v of before('v1.35')) {
        expect(rules(v, 'Role', role, 'kube-system'), v).toContainEqual(configMapLock);
        expect(rules(v, 'Role', role, 'kube-system'), v).toContainEqual({ verbs: ['watch'], apiGroups: [''], resources: ['configmaps'] });
      }
      for (const v of from('v1.35')) {
        expect(rules(v, 'Role', role, 'kube-system').filter((r) => (r as { resources: string[] }).resources.includes('configmaps')), v).toEqual([]);
      }
      // The Lease rules are there in every release.
      for (const v of GENERATED_MINORS) expect(rules(v, 'Role', role, 'kube-system'), v).toContainEqual({ verbs: ['create', 'get', 'list', 'update', 'watch'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] });
    }
  });

  test('v1.35: view (and so edit, admin) reads events in both the core and the events.k8s.io group', () => {
    const events = { verbs: ['get', 'list', 'watch'], apiGroups: ['', 'events.k8s.io'], resources: ['events'] };
    for (const v of before('v1.35')) expect(rules(v, 'ClusterRole', 'system:aggregate-to-view'), v).not.toContainEqual(events);
    for (const v of from('v1.35')) expect(rules(v, 'ClusterRole', 'system:aggregate-to-view'), v).toContainEqual(events);
  });

  test('v1.37: system:cluster-trust-bundle-discovery, bound to every ServiceAccount (ClusterTrustBundle went GA, on by default, in 1.37)', () => {
    for (const v of before('v1.37')) {
      expect(has(v, 'ClusterRole', 'system:cluster-trust-bundle-discovery'), v).toBe(false);
      expect(has(v, 'ClusterRoleBinding', 'system:cluster-trust-bundle-discovery'), v).toBe(false);
    }
    for (const v of from('v1.37')) {
      expect(rules(v, 'ClusterRole', 'system:cluster-trust-bundle-discovery'), v).toEqual([{ verbs: ['get', 'list', 'watch'], apiGroups: ['certificates.k8s.io'], resources: ['clustertrustbundles'] }]);
      expect(defaultsFor(`${v}.0`).get('ClusterRoleBinding', 'system:cluster-trust-bundle-discovery').subjects, v).toEqual([group('system:serviceaccounts')]);
    }
  });
});

describe('defaultRbacObjects', () => {
  test('the file of the requested minor; the newest for a minor without one, no version, or one it cannot read', () => {
    const newest = rbacDefaultVersions().at(-1)!;
    for (const v of [PINNED_MINOR, `${PINNED_MINOR}.0`, `${PINNED_MINOR}.9-eks-1234`, PINNED_MINOR.slice(1)]) expect(defaultRbacObjects(v).version, v).toBe(PINNED_MINOR);
    for (const v of [undefined, 'v1.0.0', 'v1.32.5', 'v1.999.0', 'v2.0', 'latest', '']) expect(defaultRbacObjects(v).version, String(v)).toBe(newest);
  });

  test('each generated minor has its own file: a v1.34 cluster gets v1.34\'s roles, not the newest', () => {
    expect(defaultRbacObjects('v1.34.2').version).toBe('v1.34');
    for (const minor of GENERATED_MINORS) {
      for (const v of [minor, `${minor}.0`, `${minor}.7`, `${minor}.3-gke.1200`, minor.slice(1)]) expect(defaultRbacObjects(v).version, v).toBe(minor);
      // The objects are that file's own.
      const lines = readFileSync(jsonFile(minor), 'utf8').split('\n').slice(1, -2);
      expect(defaultRbacObjects(`${minor}.1`).objects, minor).toEqual(lines.map((l) => JSON.parse(l.replace(/,$/, ''))));
    }
    expect(defaultRbacObjects('v1.34.2').objects.map((o) => o.metadata!.name)).not.toContain('system:cluster-trust-bundle-discovery');
  });

  test('gives fresh objects on each call', () => {
    const newest = defaultsFor(rbacDefaultVersions().at(-1)!).objects;
    const a = defaultRbacObjects();
    a.objects[0]!.metadata!.name = 'changed';
    a.objects.pop();
    const b = defaultRbacObjects();
    expect(b.objects).toHaveLength(newest.length);
    expect(b.objects[0]!.metadata!.name).toBe(newest[0]!.metadata.name);
    const c = defaultRbacObjects('v1.33');
    c.objects[0]!.metadata!.name = 'changed';
    expect(defaultRbacObjects('v1.33').objects[0]!.metadata!.name).not.toBe('changed');
  });

  test('tsc copies the JSON to dist/ beside the compiled module (the package and the image ship dist/, not src/)', () => {
    const cfgPath = `${ROOT}tsconfig.json`;
    const cfg = ts.getParsedCommandLineOfConfigFile(cfgPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
    expect(cfg.fileNames).toContain(JSON_FILE);
    for (const minor of VERSIONS) {
      expect(cfg.fileNames).toContain(jsonFile(minor));
      expect(ts.getOutputFileNames(cfg, jsonFile(minor), false)).toEqual([`${ROOT}dist/engines/rbac/defaults/${minor}.json`]);
    }
    expect(ts.getOutputFileNames(cfg, `${ROOT}src/engines/rbac/defaults/index.ts`, false)).toContain(`${ROOT}dist/engines/rbac/defaults/index.js`);
    expect((JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { files: string[] }).files).toContain('dist');
  });
});
