// The RBAC benchmark's synthetic cluster, in memory: 10,000 roles, 50,000 bindings and 5,000
// service accounts over 500 namespaces (the figures), seeded so every machine builds
// the same. Roles mix narrow and broad rules (wildcards, subresources, resourceNames,
// nonResourceURLs, aggregation labels); bindings mix users, groups and service accounts, some
// to ClusterRoles through RoleBindings, some to roles that do not exist. One Deployment per
// service account runs as it, so the pod blast-radius check has pods to judge.

import { mulberry32 } from '../lib.mjs';

export const SIZES = { roles: 10_000, bindings: 50_000, serviceAccounts: 5_000, namespaces: 500 };

const RESOURCES = [
  ['', 'pods'], ['', 'pods/log'], ['', 'pods/exec'], ['', 'services'], ['', 'configmaps'], ['', 'secrets'], ['', 'serviceaccounts'],
  ['', 'events'], ['', 'persistentvolumeclaims'], ['apps', 'deployments'], ['apps', 'deployments/scale'], ['apps', 'statefulsets'],
  ['apps', 'daemonsets'], ['batch', 'jobs'], ['batch', 'cronjobs'], ['networking.k8s.io', 'networkpolicies'], ['networking.k8s.io', 'ingresses'],
  ['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'rolebindings'], ['coordination.k8s.io', 'leases'],
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** Kubernetes objects (plain JSON) of the synthetic cluster. */
export function generateCluster(seed = 1, sizes = SIZES) {
  const r = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const some = (xs, n) => Array.from({ length: n }, () => pick(xs)).filter((x, i, a) => a.indexOf(x) === i);
  const ns = (i) => `team-${String(i % sizes.namespaces).padStart(3, '0')}`;
  const objects = [];
  for (let i = 0; i < sizes.namespaces; i++) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i) } });
  for (let i = 0; i < sizes.serviceAccounts; i++) objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${i}`, namespace: ns(i) } });
  for (let i = 0; i < sizes.serviceAccounts; i++) {
    const labels = { app: `app-${i}` };
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: ns(i) },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: `sa-${i}`, containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] } } },
    });
  }
  const rule = () => {
    const roll = r();
    if (roll < 0.03) return { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    if (roll < 0.06) return { nonResourceURLs: [pick(['/metrics', '/healthz', '/logs/*', '/apis/*'])], verbs: ['get'] };
    const [group, resource] = pick(RESOURCES);
    const out = { apiGroups: [group], resources: [resource], verbs: r() < 0.1 ? ['*'] : some(VERBS, 1 + Math.floor(r() * 4)) };
    if (r() < 0.1) out.resourceNames = [`name-${Math.floor(r() * 50)}`];
    return out;
  };
  const clusterRoles = Math.floor(sizes.roles * 0.2);
  for (let i = 0; i < sizes.roles; i++) {
    const rules = Array.from({ length: 1 + Math.floor(r() * 5) }, rule);
    if (i < clusterRoles) {
      const labels = r() < 0.1 ? { 'bench.kubeladder.io/aggregate-to-ops': 'true' } : undefined;
      const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${i}`, ...(labels ? { labels } : {}) }, rules };
      if (i % 500 === 0) {
        role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { 'bench.kubeladder.io/aggregate-to-ops': 'true' } }] };
        role.rules = [];
      }
      objects.push(role);
    } else {
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}`, namespace: ns(i) }, rules: rules.filter((x) => !x.nonResourceURLs) });
    }
  }
  const subject = () => {
    const roll = r();
    if (roll < 0.6) {
      const i = Math.floor(r() * sizes.serviceAccounts);
      return { kind: 'ServiceAccount', name: `sa-${i}`, namespace: ns(i) };
    }
    if (roll < 0.85) return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${Math.floor(r() * 2000)}` };
    return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `group-${Math.floor(r() * 200)}` };
  };
  const clusterBindings = Math.floor(sizes.bindings * 0.1);
  for (let i = 0; i < sizes.bindings; i++) {
    const subjects = Array.from({ length: 1 + Math.floor(r() * 3) }, subject);
    if (i < clusterBindings) {
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${Math.floor(r() * clusterRoles)}` }, subjects });
    } else {
      const k = Math.floor(r() * sizes.namespaces);
      const namespace = ns(k);
      const toCluster = r() < 0.3;
      // A Role of the binding's own namespace: role j lives in namespace j mod the namespace count.
      const lo = Math.ceil((clusterRoles - k) / sizes.namespaces);
      const hi = Math.floor((sizes.roles - 1 - k) / sizes.namespaces);
      const roleIndex = k + sizes.namespaces * (lo + Math.floor(r() * (hi - lo + 1)));
      const roleRef = toCluster
        ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${Math.floor(r() * clusterRoles)}` }
        : { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r() < 0.02 ? `missing-${i}` : `role-${roleIndex}` };
      objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace }, roleRef, subjects });
    }
  }
  return objects;
}
