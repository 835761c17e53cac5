/**
 * The RBAC findings that follow a path through several objects: the token-theft path, a pod's
 * blast radius, and dangling references. Their messages must name the exact subject, binding,
 * role and account, and the comparisons must follow the authorizer's scopes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import missingRole from '../../src/checks/rbac/binding-missing-role.js';
import missingAccount from '../../src/checks/rbac/binding-missing-service-account.js';
import blastRadius from '../../src/checks/rbac/pod-blast-radius.js';
import unusedRole from '../../src/checks/rbac/unused-role.js';
import tokenTheft from '../../src/checks/rbac/workload-token-theft.js';
import secretsRead from '../../src/checks/rbac/secrets-read.js';
import type { KubeObject } from '../../src/core/resource.js';
import { runChecks } from '../../src/core/runner.js';
import { inventoryFrom, type NamespaceScope } from '../../src/sources/cluster/read.js';
import { failuresOf } from '../helpers/check-tester.js';

const fixture = (id: string, name: string) => readFileSync(new URL(`./rbac/${id}/${name}.yaml`, import.meta.url), 'utf8');

const role = (ns: string, name: string, rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}, namespace: ${ns}}
rules:
${rules}
---
`;
const binding = (ns: string, name: string, roleKind: string, roleName: string, subjects: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${roleName}}
subjects:
${subjects}
---
`;

describe('rbac/workload-token-theft', () => {
  it('names the creator, the binding and rule, the account it may become and what that account adds', async () => {
    const [f, ...rest] = await failuresOf(tokenTheft, fixture('workload-token-theft', 'failure.pod-update-group'));
    expect(rest).toEqual([]);
    expect(f!.path).toBe('subjects[0]');
    expect(f!.message).toBe(
      'Group shop-devs may patch pods in namespace shop through RoleBinding shop/devs-edit-pods -> Role shop/pod-editor rule 0, and so may run a pod as ServiceAccount shop/operator, which may escalate, bind or impersonate in namespace shop, mint service account tokens in namespace shop, read Secrets in namespace shop, run commands in pods in namespace shop, run pods in namespace shop, delete events in namespace shop (Group shop-devs may not)',
    );
    expect(f!.remediation).toContain('Remove pods from rule 0 of Role shop/pod-editor');
    expect(f!.remediation).toContain('take those permissions from it (RoleBinding shop/operator-exec)');
  });

  it('a ClusterRoleBinding reaches every namespace, kube-system and its controllers included', async () => {
    const [f] = await failuresOf(tokenTheft, fixture('workload-token-theft', 'failure.cluster-wide-deployer'));
    expect(f!.message).toMatch(/^User ci may create deployments cluster-wide through ClusterRoleBinding ci-deployer -> ClusterRole deployer rule 0, and so may run a pod as ServiceAccount kube-system\//);
  });

  it('a RoleBinding reaches only its own namespace', async () => {
    const yaml =
      role('shop', 'deployer', '  - {apiGroups: [apps], resources: [deployments], verbs: [create]}') +
      binding('shop', 'ci', 'Role', 'deployer', '  - {kind: ServiceAccount, name: ci, namespace: shop}') +
      role('payments', 'secrets', '  - {apiGroups: [""], resources: [secrets], verbs: [get]}') +
      binding('payments', 'vault', 'Role', 'secrets', '  - {kind: ServiceAccount, name: vault, namespace: payments}');
    expect(await failuresOf(tokenTheft, yaml)).toEqual([]);
    const same = yaml + binding('shop', 'vault', 'Role', 'reader', '  - {kind: ServiceAccount, name: vault, namespace: shop}') + role('shop', 'reader', '  - {apiGroups: [""], resources: [secrets], verbs: [list]}');
    const [f] = await failuresOf(tokenTheft, same);
    expect(f!.message).toContain('and so may run a pod as ServiceAccount shop/vault, which may read Secrets in namespace shop (ServiceAccount shop/ci may not)');
  });

  it('a creator that holds the permission only in its namespace still gains an account that holds it cluster-wide', async () => {
    const yaml =
      role('shop', 'all', '  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}') +
      binding('shop', 'owner', 'Role', 'all', '  - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}') +
      `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: backup}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects:
  - {kind: ServiceAccount, name: backup, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}
`;
    const [f] = await failuresOf(tokenTheft, yaml);
    expect(f!.message).toContain('which may read Secrets cluster-wide (User alice may not)');
  });

  it('passes when the creator holds as much, for the accounts of system subjects, and for plain accounts', async () => {
    expect(await failuresOf(tokenTheft, fixture('workload-token-theft', 'success.creator-holds-as-much'))).toEqual([]);
    expect(await failuresOf(tokenTheft, fixture('workload-token-theft', 'success.system-and-plain-accounts'))).toEqual([]);
  });
});

describe('rbac/pod-blast-radius', () => {
  it('points at serviceAccountName and names the account, why the token is there and the bindings', async () => {
    const [f] = await failuresOf(blastRadius, fixture('pod-blast-radius', 'failure.projected-token'));
    expect(f!.path).toBe('spec.serviceAccountName');
    expect(f!.message).toBe('runs as ServiceAccount shop/backup (volume "token" projects its token), which may read Secrets in namespace shop: so may whoever takes one of its containers (through RoleBinding shop/backup-secrets -> Role shop/secrets rule 0)');
  });

  it('a pod naming no account runs as default, and group bindings count', async () => {
    const [f] = await failuresOf(blastRadius, fixture('pod-blast-radius', 'failure.default-account-group'));
    expect(f!.path).toBe('spec.jobTemplate.spec.template.spec');
    expect(f!.message).toContain('runs as ServiceAccount shop/default (its token is mounted by default), which may run commands in pods in namespace shop');
  });

  it('the deprecated serviceAccount field names the account too', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  serviceAccount: legacy
  containers: [{name: c, image: registry.example.com/c:1.0.0}]
---
` + binding('shop', 'legacy', 'ClusterRole', 'admin', '  - {kind: ServiceAccount, name: legacy}');
    const [f] = await failuresOf(blastRadius, yaml);
    expect(f!.path).toBe('spec.serviceAccount');
    expect(f!.message).toContain('runs as ServiceAccount shop/legacy');
    expect(f!.message).toMatch(/through RoleBinding shop\/legacy -> ClusterRole admin rules \d+(, \d+)*\)$/);
  });

  it('passes pods without a token', async () => {
    expect(await failuresOf(blastRadius, fixture('pod-blast-radius', 'success.no-token'))).toEqual([]);
  });
});

describe('dangling references', () => {
  it('rbac/binding-missing-role: a missing role, and a Role under a ClusterRoleBinding', async () => {
    const f = await failuresOf(missingRole, fixture('binding-missing-role', 'failure.cluster-role-binding-to-role'));
    expect(f.map((r) => [r.path, r.message])).toEqual([
      ['roleRef', 'a ClusterRoleBinding cannot bind a Role (roleRef names Role auditor): the API server rejects it, and it grants nothing'],
      ['roleRef', 'roleRef names ClusterRole old-operator, which does not exist: the binding grants nothing today, and whoever creates ClusterRole old-operator grants its rules to ServiceAccount ops/operator'],
    ]);
  });

  it('rbac/binding-missing-service-account: judged only in namespaces the input defines', async () => {
    const [f] = await failuresOf(missingAccount, fixture('binding-missing-service-account', 'failure.implicit-namespace'));
    expect(f!.path).toBe('subjects[0]');
    expect(f!.message).toBe('subject ServiceAccount shop/ci does not exist (the input defines namespace shop but no ServiceAccount ci in it): whoever creates it gets ClusterRole edit');
    expect(await failuresOf(missingAccount, fixture('binding-missing-service-account', 'success.undefined-namespace-and-default'))).toEqual([]);
  });

  it('rbac/unused-role: a role only a missing-role binding names still counts as named', async () => {
    const yaml = role('shop', 'a', '  - {apiGroups: [""], resources: [pods], verbs: [get]}') + binding('other', 'b', 'Role', 'a', '  - {kind: User, name: x, apiGroup: rbac.authorization.k8s.io}');
    const f = await failuresOf(unusedRole, yaml);
    // The binding is in namespace other: it names other/a, not shop/a.
    expect(f.map((r) => r.message)).toEqual(['Role shop/a is bound by no RoleBinding in namespace shop: it grants nothing, until a binding names it']);
    expect(await failuresOf(unusedRole, yaml + binding('shop', 'c', 'Role', 'a', '  - {kind: User, name: x, apiGroup: rbac.authorization.k8s.io}'))).toEqual([]);
  });
});

describe('a cluster read of some namespaces (-n, --shard)', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ci', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }, { kind: 'ServiceAccount', name: 'scraper', namespace: 'monitoring' }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'lonely' }, rules: [] },
  ];
  const scan = (scope?: NamespaceScope) => {
    const inventory = inventoryFrom({ objects: objects as KubeObject[], unreadable: {}, ...(scope ? { scope } : {}) });
    return runChecks([missingAccount, unusedRole], inventory).results.filter((r) => r.status === 'fail').map((r) => `${r.check} ${r.object?.name} ${r.message}`);
  };

  it('judges only the namespaces it read, and no ClusterRole as unused', () => {
    expect(scan({ namespaces: ['shop'] })).toEqual(['rbac/binding-missing-service-account ci subject ServiceAccount shop/ci does not exist (there is no ServiceAccount ci in namespace shop): whoever creates it gets ClusterRole reader']);
    expect(scan()).toEqual([
      'rbac/binding-missing-service-account ci subject ServiceAccount shop/ci does not exist (there is no ServiceAccount ci in namespace shop): whoever creates it gets ClusterRole reader',
      'rbac/binding-missing-service-account ci subject ServiceAccount monitoring/scraper does not exist (namespace monitoring does not exist): whoever creates it gets ClusterRole reader',
      'rbac/unused-role lonely ClusterRole lonely is bound by no RoleBinding or ClusterRoleBinding, and no aggregated ClusterRole picks it: it grants nothing, until a binding names it',
    ]);
  });
});

describe('population groups are judged like any subject', () => {
  it('rbac/secrets-read names the group of every service account of a namespace', async () => {
    const [f] = await failuresOf(secretsRead, readFileSync(new URL('./rbac/secrets-read/failure.every-account-of-namespace.yaml', import.meta.url), 'utf8'));
    expect(f!.message).toBe('Group system:serviceaccounts:shop may get secrets in namespace shop through RoleBinding shop/all-accounts-read-secrets -> ClusterRole secret-reader rule 0');
  });
});
