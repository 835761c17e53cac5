/**
 * Oracle test of the RBAC engine (src/engines/rbac): a seeded generator writes a random RBAC
 * configuration to a REAL kube-apiserver (ClusterRoles with wildcards, subresources,
 * resourceNames and nonResourceURLs; aggregated ClusterRoles, nested and feeding the built-in
 * view/edit/admin; Roles; RoleBindings to Roles, to ClusterRoles and to missing roles;
 * ClusterRoleBindings; User, Group and ServiceAccount subjects with and without a namespace),
 * then asks the server thousands of SubjectAccessReviews for random users and requests, and
 * kubeladder's authorize() must give the same `allowed` on a model built from every RBAC object
 * READ BACK from the server (the built-in bootstrap roles and bindings included). Where the
 * server allows, the binding its reason names must be among kubeladder's grants; and whoCan()
 * must name a subject matching the user exactly when authorize() allows through RBAC.
 *
 * The server runs `--authorization-mode=Node,RBAC`, behind the system:masters superuser
 * authorizer. The Node authorizer decides only for users named `system:node:<name>` in the
 * `system:nodes` group, which kubeladder does not model: the generator never makes such users.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Resource, type KubeObject } from '../../src/core/resource.js';
import { selectorMatches } from '../../src/engines/labels/selector.js';
import { aggregateClusterRoles } from '../../src/engines/rbac/aggregation.js';
import { authorize, RbacModel, whoCan, type Decision, type Grant, type PolicyRule, type Request, type ResourceRequest, type UserInfo } from '../../src/engines/rbac/index.js';
import { parseRules, ruleKey } from '../../src/engines/rbac/parse.js';
import { credentialsOf, eventually, startCluster, type Cluster } from '../helpers/cluster.js';
import { chance, mulberry32, pick, type Rand } from '../helpers/random.js';

const SEED = 0x0bac_5eed;
const REQUESTS = 20_000;
const CONCURRENCY = 8;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const API_VERSION = 'rbac.authorization.k8s.io/v1';
const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
/** Namespaces requests go to: ours, the built-in ones (kube-system holds bootstrap Roles and RoleBindings), and cluster-wide. */
const REQUEST_NAMESPACES = ['', '', ...NAMESPACES, ...NAMESPACES, 'kube-system', 'kube-public', 'default'];

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  agent.destroy();
  await cluster?.stop();
});

// ---------------------------------------------------------------------------------------------
// Seeded generator

/** 1 to `max` distinct picks. */
const some = <T>(r: Rand, xs: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(r, xs)))];

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'impersonate', 'escalate', 'bind', 'use'];
const GROUPS = ['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'example.com', 'authorization.k8s.io', 'coordination.k8s.io'];
const REQUEST_RESOURCES: ReadonlyArray<[string, string]> = [
  ['', 'pods'], ['', 'secrets'], ['', 'configmaps'], ['', 'services'], ['', 'nodes'], ['', 'namespaces'], ['', 'serviceaccounts'],
  ['', 'events'], ['', 'endpoints'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['batch', 'jobs'], ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'clusterroles'], ['example.com', 'widgets'], ['authorization.k8s.io', 'selfsubjectaccessreviews'],
  ['coordination.k8s.io', 'leases'],
];
const SUBRESOURCES = ['exec', 'log', 'scale', 'status', 'token', 'proxy', '*'];
const RULE_RESOURCES = [
  'pods', 'secrets', 'configmaps', 'services', 'nodes', 'deployments', 'jobs', 'widgets', 'roles', 'leases', 'serviceaccounts',
  'pods/exec', 'pods/log', 'deployments/scale', 'serviceaccounts/token', '*/scale', '*/status', 'pods/*', '*/*', '*',
];
const RESOURCE_NAMES = ['a', 'b', ''];
const PATHS = ['/metrics', '/healthz', '/healthz/ready', '/healthz/', '/logs', '/logs/kube.log', '/api', '/api/v1', '/apis', '/version', '/custom/a', '/custom/ab', '/custom', '/readyz', '/livez', '/openid/v1/jwks', '/.well-known/openid-configuration', '/'];
const RULE_URLS = ['/metrics', '/healthz', '/healthz/*', '/logs*', '/api/*', '*', '/custom/a', '/custom/**', '/version', '/readyz', '/'];
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete'];

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'system:anonymous', 'system:serviceaccount:ns-a:sa-1'];
const BOUND_GROUPS = ['dev', 'ops', 'qa', 'auditors', 'system:serviceaccounts', 'system:serviceaccounts:ns-b'];
const SA_NAMES = ['sa-1', 'sa-2', 'default'];
/** Label keys of the generated aggregation: aggregated role j selects on k0..kj and carries labels on k(j+1)..k4 only, so nesting never cycles. */
const AGG_KEYS = [0, 1, 2, 3, 4].map((i) => `oracle.kubeladder.io/k${i}`);
const BUILTIN_AGGREGATE_LABELS = ['rbac.authorization.k8s.io/aggregate-to-view', 'rbac.authorization.k8s.io/aggregate-to-edit', 'rbac.authorization.k8s.io/aggregate-to-admin'];

function genRule(r: Rand, clusterScoped: boolean): PolicyRule {
  if (clusterScoped && chance(r, 0.15)) {
    return { verbs: chance(r, 0.15) ? ['*'] : some(r, ['get', 'post', 'put', 'delete'], 2), nonResourceURLs: some(r, RULE_URLS, 2) };
  }
  const rule: PolicyRule = {
    verbs: chance(r, 0.1) ? ['*'] : some(r, VERBS, 3),
    apiGroups: chance(r, 0.1) ? ['*'] : some(r, GROUPS, 2),
    resources: some(r, RULE_RESOURCES, 3),
  };
  if (chance(r, 0.2)) rule.resourceNames = some(r, RESOURCE_NAMES, 2);
  return rule;
}

const genRules = (r: Rand, clusterScoped: boolean) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => genRule(r, clusterScoped));

type Subj = { kind: string; apiGroup?: string; name: string; namespace?: string };

function genSubject(r: Rand, bindingNamespace: string | undefined): Subj {
  const roll = r();
  if (roll < 0.35) return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: pick(r, USERS) };
  if (roll < 0.6) {
    // Bindings to everyone authenticated or unauthenticated are rare, or everybody is allowed everything.
    const name = chance(r, 0.04) ? pick(r, ['system:authenticated', 'system:unauthenticated']) : pick(r, BOUND_GROUPS);
    return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name };
  }
  const s: Subj = { kind: 'ServiceAccount', name: pick(r, SA_NAMES) };
  const ns = bindingNamespace === undefined ? pick(r, NAMESPACES) : pick(r, ['', '', bindingNamespace, bindingNamespace, ...NAMESPACES]);
  if (ns) s.namespace = ns;
  return s;
}

interface Generated {
  clusterRoles: KubeObject[];
  roles: KubeObject[];
  roleBindings: KubeObject[];
  clusterRoleBindings: KubeObject[];
}

function genConfig(r: Rand): Generated {
  const clusterRoles: KubeObject[] = [];
  for (let i = 0; i < 30; i++) {
    const labels: Record<string, string> = {};
    for (const k of AGG_KEYS) if (chance(r, 0.2)) labels[k] = pick(r, ['true', 'true', 'x']);
    if (chance(r, 0.1)) labels[pick(r, BUILTIN_AGGREGATE_LABELS)] = 'true';
    clusterRoles.push({ apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name: `oracle-cr-${i}`, labels }, rules: genRules(r, true) });
  }
  // Aggregated roles: their own rules are written and must be replaced by the controller.
  for (let j = 0; j < AGG_KEYS.length; j++) {
    const own = AGG_KEYS.slice(0, j + 1);
    const selector = (): Record<string, unknown> => {
      const k = pick(r, own);
      switch (Math.floor(r() * 4)) {
        case 0:
          return { matchLabels: { [k]: 'true' } };
        case 1:
          return { matchExpressions: [{ key: k, operator: 'In', values: ['true', 'x'] }] };
        case 2:
          return { matchExpressions: [{ key: k, operator: 'Exists' }, { key: pick(r, own), operator: 'NotIn', values: ['x'] }] };
        default:
          return { matchExpressions: [{ key: k, operator: 'Exists' }, { key: pick(r, AGG_KEYS), operator: 'DoesNotExist' }] };
      }
    };
    const labels: Record<string, string> = {};
    for (const k of AGG_KEYS.slice(j + 1)) if (chance(r, 0.5)) labels[k] = 'true';
    if (j === 1) labels['rbac.authorization.k8s.io/aggregate-to-edit'] = 'true';
    clusterRoles.push({
      apiVersion: API_VERSION,
      kind: 'ClusterRole',
      metadata: { name: `oracle-agg-${j}`, labels },
      aggregationRule: { clusterRoleSelectors: chance(r, 0.3) ? [selector(), selector()] : [selector()] },
      rules: genRules(r, true),
    });
  }
  // Non-resource roles, so that URL matching meets many users (only ClusterRoleBindings make them count).
  for (let i = 0; i < 8; i++) {
    const rules = Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({ verbs: chance(r, 0.2) ? ['*'] : some(r, HTTP_VERBS, 2), nonResourceURLs: some(r, RULE_URLS, 2) }));
    clusterRoles.push({ apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name: `oracle-nr-${i}` }, rules });
  }
  // Hand-written edges on top of the random ones: URL patterns, literal `pods/*`, `*/scale`, a
  // resourceNames list holding "", bound both cluster-wide and (where URLs must not count) in a namespace.
  clusterRoles.push({
    apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name: 'oracle-edge-urls' },
    rules: [{ verbs: ['get'], nonResourceURLs: ['/custom/**', '/logs*', '/healthz'] }, { verbs: ['post'], nonResourceURLs: ['*'] }],
  });
  clusterRoles.push({
    apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name: 'oracle-edge-resources' },
    rules: [
      { verbs: ['get', 'create'], apiGroups: [''], resources: ['pods/*'] },
      { verbs: ['update', 'patch'], apiGroups: ['*'], resources: ['*/scale'] },
      { verbs: ['list', 'get'], apiGroups: [''], resources: ['secrets'], resourceNames: [''] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
    ],
  });
  const roles: KubeObject[] = [];
  for (let i = 0; i < 15; i++) {
    roles.push({ apiVersion: API_VERSION, kind: 'Role', metadata: { name: `oracle-role-${i % 5}`, namespace: NAMESPACES[i % 3]! }, rules: genRules(r, false) });
  }
  const clusterRoleNames = [...clusterRoles.map((c) => c.metadata!.name!), 'view', 'edit', 'admin', 'system:basic-user', 'system:discovery', 'missing-cr'];
  const roleRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  const subjects = (ns: string | undefined) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => genSubject(r, ns));
  const roleBindings: KubeObject[] = [];
  for (let i = 0; i < 45; i++) {
    const namespace = chance(r, 0.1) ? 'kube-system' : pick(r, NAMESPACES);
    const ref = chance(r, 0.4)
      ? roleRef('Role', chance(r, 0.1) ? 'missing-role' : `oracle-role-${Math.floor(r() * 5)}`)
      : roleRef('ClusterRole', chance(r, 0.1) ? 'cluster-admin' : pick(r, clusterRoleNames));
    roleBindings.push({ apiVersion: API_VERSION, kind: 'RoleBinding', metadata: { name: `oracle-rb-${i}`, namespace }, roleRef: ref, subjects: subjects(namespace) });
  }
  const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
  roleBindings.push(
    { apiVersion: API_VERSION, kind: 'RoleBinding', metadata: { name: 'oracle-edge-urls', namespace: 'ns-a' }, roleRef: roleRef('ClusterRole', 'oracle-edge-urls'), subjects: [group('dev')] },
    {
      apiVersion: API_VERSION, kind: 'RoleBinding', metadata: { name: 'oracle-edge-resources', namespace: 'ns-b' }, roleRef: roleRef('ClusterRole', 'oracle-edge-resources'),
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }, { kind: 'ServiceAccount', name: 'sa-2' }],
    },
  );
  const clusterRoleBindings: KubeObject[] = [
    { apiVersion: API_VERSION, kind: 'ClusterRoleBinding', metadata: { name: 'oracle-edge-urls' }, roleRef: roleRef('ClusterRole', 'oracle-edge-urls'), subjects: [group('ops')] },
  ];
  for (let i = 0; i < 30; i++) {
    clusterRoleBindings.push({ apiVersion: API_VERSION, kind: 'ClusterRoleBinding', metadata: { name: `oracle-crb-${i}` }, roleRef: roleRef('ClusterRole', pick(r, clusterRoleNames)), subjects: subjects(undefined) });
  }
  return { clusterRoles, roles, roleBindings, clusterRoleBindings };
}

interface Case {
  user: UserInfo;
  request: Request;
}

function genUser(r: Rand): UserInfo {
  const roll = r();
  if (roll < 0.4) {
    const groups = some(r, ['dev', 'ops', 'qa', 'auditors', 'other'], 2).filter(() => chance(r, 0.7));
    if (chance(r, 0.8)) groups.push('system:authenticated');
    return { name: pick(r, [...USERS, 'frank']), groups };
  }
  if (roll < 0.68) {
    const builtin = chance(r, 0.2);
    const ns = builtin ? 'kube-system' : pick(r, [...NAMESPACES, 'default']);
    const name = builtin ? pick(r, ['deployment-controller', 'namespace-controller', 'generic-garbage-collector', 'replicaset-controller', 'bootstrap-signer']) : pick(r, [...SA_NAMES, 'sa-3']);
    const groups = chance(r, 0.8) ? ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] : some(r, ['system:serviceaccounts', 'dev', 'system:serviceaccounts:ns-b'], 2);
    return { name: `system:serviceaccount:${ns}:${name}`, groups };
  }
  if (roll < 0.8) return { name: 'system:anonymous', groups: chance(r, 0.85) ? ['system:unauthenticated'] : [] };
  if (roll < 0.9) {
    return { name: pick(r, ['system:kube-controller-manager', 'system:kube-scheduler', 'system:kube-proxy', 'system:apiserver']), groups: ['system:authenticated'] };
  }
  if (roll < 0.92) return { name: 'root', groups: ['system:masters', 'system:authenticated'] };
  return { name: `user-${Math.floor(r() * 5)}`, groups: some(r, ['system:monitoring', 'system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated', 'ops'], 3) };
}

function genRequest(r: Rand): Request {
  if (chance(r, 0.2)) return { verb: pick(r, HTTP_VERBS), path: pick(r, PATHS) };
  let [apiGroup, resource] = pick(r, REQUEST_RESOURCES);
  if (chance(r, 0.08)) apiGroup = pick(r, GROUPS);
  const req: ResourceRequest = { verb: chance(r, 0.03) ? '*' : pick(r, VERBS), apiGroup, resource };
  if (chance(r, 0.25)) req.subresource = pick(r, SUBRESOURCES);
  if (chance(r, 0.5)) req.name = pick(r, ['a', 'b', 'c']);
  const ns = pick(r, REQUEST_NAMESPACES);
  if (ns) req.namespace = ns;
  return req;
}

// ---------------------------------------------------------------------------------------------
// The server

/** Keep-alive connections: thousands of reviews would otherwise each pay a TLS handshake. */
const agent = new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const c = credentialsOf(cluster.adminKubeconfig);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, c.server),
      { method: 'POST', ca: c.ca, cert: c.cert, key: c.key, agent, timeout: 30_000, headers: { 'content-type': 'application/json', accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            reject(new Error(`POST ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${path}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

interface Review {
  allowed: boolean;
  reason: string;
}

async function review({ user, request }: Case): Promise<Review> {
  const spec: Record<string, unknown> = { user: user.name };
  if (user.groups.length) spec.groups = user.groups;
  if ('path' in request) spec.nonResourceAttributes = { path: request.path, verb: request.verb };
  else {
    spec.resourceAttributes = {
      verb: request.verb,
      group: request.apiGroup,
      resource: request.resource,
      ...(request.subresource ? { subresource: request.subresource } : {}),
      ...(request.name ? { name: request.name } : {}),
      ...(request.namespace ? { namespace: request.namespace } : {}),
    };
  }
  const res = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
  if (res.status !== 201) throw new Error(`SubjectAccessReview ${JSON.stringify(spec)}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return { allowed: res.body.status?.allowed === true, reason: String(res.body.status?.reason ?? '') };
}

async function create(path: string, obj: KubeObject): Promise<void> {
  const res = await cluster.request('POST', path, obj);
  if (res.status !== 201) throw new Error(`create ${obj.kind} ${obj.metadata?.name}: ${res.status} ${res.text.slice(0, 300)}`);
}

const KIND_PATHS: ReadonlyArray<[kind: string, path: string]> = [
  ['ClusterRole', `${RBAC}/clusterroles`],
  ['ClusterRoleBinding', `${RBAC}/clusterrolebindings`],
  ['Role', `${RBAC}/roles`],
  ['RoleBinding', `${RBAC}/rolebindings`],
];

/** Every RBAC object on the server (list items carry no kind or apiVersion: restored). */
async function readBack(): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const [kind, path] of KIND_PATHS) {
    const res = await cluster.request('GET', path);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    for (const item of res.body.items as KubeObject[]) out.push({ ...item, apiVersion: API_VERSION, kind });
  }
  return out;
}

const toResource = (o: KubeObject) => new Resource(o, { basePath: [] }, o.metadata?.namespace || undefined);
const fingerprint = (objs: KubeObject[]) =>
  objs.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}@${String(o.metadata?.resourceVersion)}`).sort().join('\n');

/** Seeded Fisher-Yates: the model must not depend on the server listing objects by name. */
function shuffled<T>(xs: readonly T[], r: Rand): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * For each aggregated ClusterRole on the server: its stored rules against kubeladder's
 * aggregation of the others, computed twice, from their stored rules (already aggregated) and
 * from scratch (every aggregated role's stored rules emptied, as in manifests the controller
 * never saw, so nesting and order must come out of kubeladder alone), the roles in random order.
 */
function aggregationDiffs(objs: KubeObject[], r: Rand): { compared: number; diffs: string[] } {
  const crs = shuffled(objs.filter((o) => o.kind === 'ClusterRole'), r);
  const input = (fromScratch: boolean) =>
    crs.map((o) => ({ name: o.metadata!.name!, labels: o.metadata?.labels ?? {}, rules: fromScratch && o.aggregationRule ? [] : parseRules(o.rules), aggregationRule: o.aggregationRule }));
  const diffs: string[] = [];
  let compared = 0;
  for (const fromScratch of [false, true]) {
    const res = aggregateClusterRoles(input(fromScratch));
    compared = res.aggregated.size;
    for (const o of crs) {
      const ours = res.aggregated.get(o.metadata!.name!);
      if (!ours) continue;
      const server = parseRules(o.rules).map(ruleKey);
      const mine = ours.rules.map(ruleKey);
      if (server.join('\n') !== mine.join('\n')) diffs.push(`${o.metadata!.name}${fromScratch ? ' (from scratch)' : ''}:\n  server: ${server.join(' ')}\n  ours:   ${mine.join(' ')}`);
    }
  }
  return { compared, diffs };
}

// ---------------------------------------------------------------------------------------------

/** The binding the server's reason names (`RBAC: allowed by RoleBinding "name/ns" of ClusterRole "view" to User "alice"`). */
function reasonBinding(reason: string): { kind: string; name: string; namespace?: string; roleKind: string; roleName: string; subjectKind: string; subject: string } | undefined {
  const m = /^RBAC: allowed by (ClusterRoleBinding|RoleBinding) "([^"]*)" of (Role|ClusterRole) "([^"]*)" to (User|Group|ServiceAccount) "([^"]*)"$/.exec(reason);
  if (!m) return undefined;
  const [name, namespace] = m[1] === 'RoleBinding' ? m[2]!.split('/') : [m[2]!];
  return { kind: m[1]!, name: name!, ...(namespace ? { namespace } : {}), roleKind: m[3]!, roleName: m[4]!, subjectKind: m[5]!, subject: m[6]! };
}

function reasonAmongGrants(reason: string, d: Decision): boolean {
  const named = reasonBinding(reason);
  if (!named || !d.allowed) return false;
  return d.grants.some((g) => {
    const subject = g.subject.kind === 'ServiceAccount' ? `${g.subject.name}/${g.subject.namespace}` : g.subject.name;
    return (
      g.binding.kind === named.kind && g.binding.name === named.name && (g.binding.namespace ?? undefined) === named.namespace &&
      g.role.kind === named.roleKind && g.role.name === named.roleName && g.subject.kind === named.subjectKind && subject === named.subject
    );
  });
}

/** What a grant exercises, to show (and require) that the generator reaches each semantic point. */
function features(c: Case, g: Grant, model: RbacModel): string[] {
  const out: string[] = [`${g.binding.kind} → ${g.role.kind}`, `${g.subject.kind} subject`];
  const q = c.request;
  if (g.rule.verbs.includes('*') && !g.rule.verbs.includes(q.verb)) out.push('verb *');
  if ('path' in q) {
    const urls = g.rule.nonResourceURLs ?? [];
    if (urls.includes(q.path)) out.push('URL exact');
    else if (urls.includes('*')) out.push('URL *');
    else if (urls.some((u) => u.endsWith('**') && q.path.startsWith(u.replace(/\*+$/, '')))) out.push('URL prefix **');
    else out.push('URL prefix');
  } else {
    if (!g.rule.apiGroups?.includes(q.apiGroup)) out.push('apiGroup *');
    const combined = q.subresource ? `${q.resource}/${q.subresource}` : q.resource;
    if (g.rule.resources?.includes(combined)) out.push(q.subresource ? 'resource/subresource exact' : 'resource exact');
    else if (g.rule.resources?.includes('*')) out.push(q.subresource ? 'resource * on a subresource' : 'resource *');
    else out.push('resource */subresource');
    if (g.rule.resourceNames?.length) out.push(q.name ? 'resourceNames' : 'resourceNames [""] without a name');
  }
  if (g.subject.kind === 'ServiceAccount' && g.binding.kind === 'RoleBinding') {
    const b = model.roleBindingsIn(g.binding.namespace!).find((x) => x.ref.name === g.binding.name)!;
    const written = (b.resource.obj.subjects as Subj[]).some((s) => s.kind === 'ServiceAccount' && s.name === g.subject.name && !s.namespace);
    out.push(written && g.subject.namespace === g.binding.namespace ? 'ServiceAccount, namespace from the RoleBinding' : 'ServiceAccount with a namespace in a RoleBinding');
  }
  if (g.aggregatedFrom?.startsWith('oracle-')) out.push(g.role.name.startsWith('oracle-') ? 'aggregated rule' : 'aggregated into a built-in role');
  if (g.aggregatedFrom !== undefined) {
    // Nested: the rule's own role is not picked by this role's selectors, only through another aggregated role.
    const selectors = (model.clusterRoles.get(g.role.name)!.resource.obj.aggregationRule as { clusterRoleSelectors: unknown[] }).clusterRoleSelectors;
    const labels = model.clusterRoles.get(g.aggregatedFrom)!.resource.labels;
    if (!selectors.some((sel) => selectorMatches(sel, labels))) out.push('nested aggregation');
  }
  if (!g.role.name.startsWith('oracle-')) out.push('built-in role');
  if (!g.binding.name.startsWith('oracle-')) out.push('built-in binding');
  return out;
}

const FEATURES = [
  'ClusterRoleBinding → ClusterRole', 'RoleBinding → ClusterRole', 'RoleBinding → Role', 'User subject', 'Group subject', 'ServiceAccount subject',
  'verb *', 'URL exact', 'URL *', 'URL prefix', 'URL prefix **', 'apiGroup *', 'resource exact', 'resource/subresource exact', 'resource *',
  'resource * on a subresource', 'resource */subresource', 'resourceNames', 'resourceNames [""] without a name',
  'ServiceAccount, namespace from the RoleBinding', 'ServiceAccount with a namespace in a RoleBinding', 'aggregated rule',
  'aggregated into a built-in role', 'nested aggregation', 'built-in role', 'built-in binding',
];

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const describeRequest = (q: Request) =>
  'path' in q
    ? `${q.verb} ${q.path}`
    : `${q.verb} ${q.apiGroup || 'core'}/${q.resource}${q.subresource ? `/${q.subresource}` : ''}${q.name ? ` name=${JSON.stringify(q.name)}` : ''} ns=${JSON.stringify(q.namespace ?? '')}`;

describe('RBAC engine agrees with the API server`s authorizer', () => {
  test('seeded random RBAC objects, thousands of SubjectAccessReviews', async () => {
    const t0 = Date.now();
    const rand = mulberry32(SEED);
    const gen = genConfig(rand);
    const cases: Case[] = Array.from({ length: REQUESTS }, () => ({ user: genUser(rand), request: genRequest(rand) }));
    // Apart, so that how often the polls below run does not change the rest.
    const shuffleRand = mulberry32(SEED ^ 0x5f5f);

    for (const ns of NAMESPACES) await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const o of gen.clusterRoles) await create(`${RBAC}/clusterroles`, o);
    for (const o of gen.roles) await create(`${RBAC}/namespaces/${o.metadata!.namespace}/roles`, o);
    await Promise.all([
      pool(gen.roleBindings, 4, (o) => create(`${RBAC}/namespaces/${o.metadata!.namespace}/rolebindings`, o)),
      pool(gen.clusterRoleBindings, 4, (o) => create(`${RBAC}/clusterrolebindings`, o)),
    ]);

    // What the API server refuses to store, so the oracle cannot ask: a ServiceAccount subject
    // without a namespace in a ClusterRoleBinding (the engine: it matches nobody, as upstream).
    const noNs = await cluster.request('POST', `${RBAC}/clusterrolebindings`, {
      apiVersion: API_VERSION, kind: 'ClusterRoleBinding', metadata: { name: 'oracle-sa-without-namespace' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'sa-1' }],
    });
    expect(noNs.status, noNs.text).toBe(422);

    // The aggregation controller settles: every aggregated ClusterRole (ours and the built-in
    // ones) holds what kubeladder computes from the others. A timeout here is a disagreement.
    let lastDiffs: string[] = [];
    const aggregated = await eventually(
      'aggregated ClusterRoles to match kubeladder`s aggregation',
      async () => {
        const d = aggregationDiffs(await readBack(), shuffleRand);
        lastDiffs = d.diffs;
        return d.diffs.length === 0 ? d.compared : undefined;
      },
      30_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${lastDiffs.slice(0, 10).join('\n')}`);
    });

    // The authorizer reads informer caches: a sentinel of each kind, written after everything
    // else (aggregation updates included), is seen only once all earlier writes are.
    const sentinelRule = [{ verbs: ['oracle-sentinel'], apiGroups: [''], resources: ['pods'] }];
    const ref = (kind: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name: 'oracle-sentinel' });
    await create(`${RBAC}/clusterroles`, { apiVersion: API_VERSION, kind: 'ClusterRole', metadata: { name: 'oracle-sentinel' }, rules: sentinelRule });
    await create(`${RBAC}/namespaces/ns-c/roles`, { apiVersion: API_VERSION, kind: 'Role', metadata: { name: 'oracle-sentinel', namespace: 'ns-c' }, rules: sentinelRule });
    await create(`${RBAC}/clusterrolebindings`, { apiVersion: API_VERSION, kind: 'ClusterRoleBinding', metadata: { name: 'oracle-sentinel' }, roleRef: ref('ClusterRole'), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'sentinel-1' }] });
    await create(`${RBAC}/namespaces/ns-c/rolebindings`, { apiVersion: API_VERSION, kind: 'RoleBinding', metadata: { name: 'oracle-sentinel', namespace: 'ns-c' }, roleRef: ref('Role'), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'sentinel-2' }] });
    await eventually('the authorizer to see the sentinels', async () => {
      const a = await review({ user: { name: 'sentinel-1', groups: [] }, request: { verb: 'oracle-sentinel', apiGroup: '', resource: 'pods' } });
      const b = await review({ user: { name: 'sentinel-2', groups: [] }, request: { verb: 'oracle-sentinel', apiGroup: '', resource: 'pods', namespace: 'ns-c' } });
      return a.allowed && b.allowed ? true : undefined;
    });

    const objects = await readBack();
    const model = RbacModel.fromResources(shuffled(objects, shuffleRand).map(toResource));
    const setupMs = Date.now() - t0;

    const t1 = Date.now();
    let allowedByServer = 0;
    let nonResource = 0;
    let reasonsChecked = 0;
    const mismatches: string[] = [];
    const reasonMismatches: string[] = [];
    const whoCanMismatches: string[] = [];
    const coverage = new Map<string, number>();
    await pool(cases, CONCURRENCY, async (c) => {
      const server = await review(c);
      const ours = authorize(model, c.user, c.request);
      if ('path' in c.request) nonResource++;
      if (server.allowed) allowedByServer++;
      const detail = () =>
        [
          `  user: ${JSON.stringify(c.user.name)} groups: ${JSON.stringify(c.user.groups)}`,
          `  request: ${describeRequest(c.request)}`,
          `  server: ${server.allowed ? 'allowed' : 'denied'} ${JSON.stringify(server.reason)}`,
          `  ours: ${ours.allowed ? `allowed (${ours.reason}) by ${ours.grants.slice(0, 3).map((g) => `${g.binding.kind} ${g.binding.namespace ? `${g.binding.namespace}/` : ''}${g.binding.name} → ${g.role.kind} ${g.role.name} rule ${g.ruleIndex} ${JSON.stringify(g.rule)}`).join('; ') || '-'}` : 'denied'}`,
        ].join('\n');
      if (server.allowed !== ours.allowed) {
        mismatches.push(`server=${server.allowed ? 'allowed' : 'denied'} kubeladder=${ours.allowed ? 'allowed' : 'denied'}\n${detail()}`);
        return;
      }
      if (ours.allowed && ours.reason === 'rbac') {
        for (const g of ours.grants) for (const f of features(c, g, model)) coverage.set(f, (coverage.get(f) ?? 0) + 1);
        reasonsChecked++;
        if (!reasonAmongGrants(server.reason, ours)) reasonMismatches.push(`the server's reason names a binding kubeladder does not grant through\n${detail()}`);
      }
      // whoCan, the inverse question: some subject it names is this user exactly when RBAC allows.
      if (ours.allowed && ours.reason === 'system:masters') return;
      const named = whoCan(model, c.request).some(({ subject: s }) =>
        s.kind === 'User' ? s.name === c.user.name : s.kind === 'Group' ? c.user.groups.includes(s.name) : c.user.name === `system:serviceaccount:${s.namespace}:${s.name}`,
      );
      if (named !== (ours.allowed && ours.reason === 'rbac')) whoCanMismatches.push(`whoCan ${named ? 'names' : 'does not name'} the user\n${detail()}`);
    });
    const compareMs = Date.now() - t1;

    // Nothing changed on the server while it was being asked.
    expect(fingerprint(await readBack()), 'RBAC objects changed during the comparison').toBe(fingerprint(objects));

    const count = (kind: string) => objects.filter((o) => o.kind === kind).length;
    console.info(
      `RBAC oracle: ${cases.length} requests compared (${nonResource} non-resource; ${allowedByServer} allowed by the server, ${reasonsChecked} server reasons looked up among the grants), ` +
        `${mismatches.length} disagreements, ${reasonMismatches.length} reason mismatches, ${whoCanMismatches.length} whoCan mismatches; ` +
        `model of ${count('ClusterRole')} ClusterRoles (${aggregated} aggregated, all equal to the controller's), ${count('ClusterRoleBinding')} ClusterRoleBindings, ` +
        `${count('Role')} Roles, ${count('RoleBinding')} RoleBindings (${objects.filter((o) => String(o.metadata?.name).startsWith('oracle-')).length} generated), ` +
        `${model.missingRoles().length} bindings to missing roles; setup ${setupMs} ms, ${compareMs} ms for the reviews`,
    );
    console.info(`RBAC oracle coverage (grants of allowed requests): ${FEATURES.map((f) => `${f}: ${coverage.get(f) ?? 0}`).join(', ')}`);
    if (mismatches.length) console.error(mismatches.slice(0, 20).join('\n\n'));
    if (reasonMismatches.length) console.error(reasonMismatches.slice(0, 10).join('\n\n'));
    if (whoCanMismatches.length) console.error(whoCanMismatches.slice(0, 10).join('\n\n'));
    expect(allowedByServer).toBeGreaterThan(cases.length * 0.1);
    expect(cases.length - allowedByServer).toBeGreaterThan(cases.length * 0.1);
    expect(FEATURES.filter((f) => !coverage.get(f)), 'semantic points no allowed request went through').toEqual([]);
    expect(mismatches.length).toBe(0);
    expect(reasonMismatches.length).toBe(0);
    expect(whoCanMismatches.length).toBe(0);
  }, 180_000);
});
