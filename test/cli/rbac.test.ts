/** `kubeladder rbac can-i` and `who-can` over manifests, with kubectl's arguments and answers. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: log-reader, namespace: shop}
rules:
  - {apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"]}
  - {apiGroups: [""], resources: ["configmaps"], resourceNames: ["app-config"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: log-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: log-reader}
subjects:
  - {kind: ServiceAccount, name: api}
  - {kind: Group, apiGroup: rbac.authorization.k8s.io, name: oncall}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
  - {nonResourceURLs: ["/metrics", "/debug/*"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: metrics}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics}
subjects:
  - {kind: User, apiGroup: rbac.authorization.k8s.io, name: scraper}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: shop-viewers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: User, apiGroup: rbac.authorization.k8s.io, name: auditor}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kl-rbac-'));
  writeFileSync(join(dir, 'rbac.yaml'), RBAC);
});

const canI = (...args: string[]) => cli(['rbac', 'can-i', ...args, '-f', 'rbac.yaml'], { cwd: dir });

describe('rbac can-i', () => {
  it.each([
    [['get', 'pods', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'], 'yes'],
    [['get', 'pods/log', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'], 'yes'],
    [['get', 'pods', '--subresource', 'log', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'], 'yes'],
    [['get', 'pods', '--subresource', 'exec', '--as', 'system:serviceaccount:shop:api', '-n', 'shop'], 'no'],
    [['get', 'pods', '--as', 'system:serviceaccount:shop:api', '-n', 'web'], 'no'],
    [['get', 'pods', '--as', 'system:serviceaccount:shop:api', '-A'], 'no'],
    [['get', 'configmaps/app-config', '--as', 'alice', '--as-group', 'oncall', '-n', 'shop'], 'yes'],
    [['list', 'configmaps', '--as', 'alice', '--as-group', 'oncall', '-n', 'shop'], 'no'],
    [['get', '/metrics', '--as', 'scraper'], 'yes'],
    [['get', '/debug/pprof/heap', '--as', 'scraper'], 'yes'],
    [['post', '/metrics', '--as', 'scraper'], 'no'],
    // The built-in view role (aggregated from system:aggregate-to-view) applies though the manifests lack it.
    [['list', 'deployments.apps', '--as', 'auditor', '-n', 'shop'], 'yes'],
    [['get', 'secrets', '--as', 'auditor', '-n', 'shop'], 'no'],
    // Built-in bindings: every authenticated user may ask what it may do; anonymous users may not.
    [['create', 'selfsubjectaccessreviews.authorization.k8s.io', '--as', 'nobody-in-particular'], 'yes'],
    [['create', 'selfsubjectaccessreviews.authorization.k8s.io', '--as', 'system:anonymous'], 'no'],
    [['get', '/healthz', '--as', 'system:anonymous'], 'yes'],
    [['delete', 'nodes', '--as', 'root', '--as-group', 'system:masters'], 'yes'],
  ])('%j: %s', async (args, answer) => {
    const r = await canI(...args);
    expect(r.stdout).toBe(`${answer}\n`);
    expect(r.code).toBe(answer === 'yes' ? 0 : 1);
  });

  it('explains a yes with the binding, role and rule', async () => {
    const r = await canI('get', 'pods', '--as', 'system:serviceaccount:shop:api', '-n', 'shop', '--explain');
    expect(r.stdout).toBe('yes\n  RoleBinding shop/log-reader -> Role shop/log-reader rule 0: {"verbs":["get","list"],"apiGroups":[""],"resources":["pods","pods/log"]}\n');
  });

  it("warns as kubectl does, and rejects what kubectl rejects", async () => {
    expect((await canI('get', 'nodes', '--as', 'alice')).stderr).toBe("Warning: resource 'nodes' is not namespace scoped\n");
    expect((await canI('get', 'widgets', '--as', 'alice')).stderr).toBe("Warning: the server doesn't have a resource type 'widgets'\n");
    expect((await canI('frobnicate', 'pods', '--as', 'alice')).stderr).toBe("Warning: verb 'frobnicate' is not a known verb\n");
    const sub = await canI('get', '/metrics', '--subresource', 'x', '--as', 'alice');
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('--subresource can not be used with NonResourceURL');
    const noAs = await cli(['rbac', 'can-i', 'get', 'pods', '-f', 'rbac.yaml'], { cwd: dir });
    expect(noAs.code).toBe(2);
    const noInput = await cli(['rbac', 'can-i', 'get', 'pods', '--as', 'a'], { cwd: dir });
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toContain('no input');
  });
});

describe('rbac who-can', () => {
  it('names every subject with the binding, role and rule, in the namespace asked', async () => {
    const r = await cli(['rbac', 'who-can', 'get', 'pods/log', '-n', 'shop', '-f', 'rbac.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { subjects: Array<{ subject: { kind: string; name: string; namespace?: string }; grants: Array<{ binding: { name: string } }> }> };
    const names = out.subjects.map((s) => `${s.subject.kind} ${s.subject.namespace ? `${s.subject.namespace}/` : ''}${s.subject.name}`);
    // auditor through the built-in view role (aggregated), which reads pod logs.
    expect(names).toEqual(expect.arrayContaining(['Group oncall', 'ServiceAccount shop/api', 'User auditor', 'Group system:masters']));
    expect(out.subjects.find((s) => s.subject.name === 'api')!.grants.map((g) => g.binding.name)).toEqual(['log-reader']);
    expect(out.subjects.find((s) => s.subject.name === 'auditor')!.grants.map((g) => g.binding.name)).toEqual(['shop-viewers']);
    // view does not exec into pods.
    const exec = await cli(['rbac', 'who-can', 'create', 'pods', '--subresource', 'exec', '-n', 'shop', '-f', 'rbac.yaml'], { cwd: dir });
    expect(exec.stdout).not.toContain('auditor');
  });

  it('--format csv: one row per grant', async () => {
    const r = await cli(['rbac', 'who-can', 'get', 'configmaps/app-config', '-n', 'shop', '-f', 'rbac.yaml', '--format', 'csv'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('subject_kind,subject_namespace,subject_name,binding_kind,binding_namespace,binding_name,role_kind,role_namespace,role_name,rule');
    expect(lines).toContain('ServiceAccount,shop,api,RoleBinding,shop,log-reader,Role,shop,log-reader,1');
    expect(lines).toContain('Group,,oncall,RoleBinding,shop,log-reader,Role,shop,log-reader,1');
  });

  it('--format dot: subjects -> bindings -> roles, which Graphviz renders', async () => {
    const r = await cli(['rbac', 'who-can', 'get', 'pods', '--subresource', 'log', '-n', 'shop', '-f', 'rbac.yaml', '--format', 'dot'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('label="who can get pods/log in namespace shop";');
    expect(r.stdout).toContain('"ServiceAccount shop/api" -> "RoleBinding shop/log-reader";');
    expect(r.stdout).toContain('"Group oncall" -> "RoleBinding shop/log-reader";');
    // Drawn once, however many subjects share it.
    expect(r.stdout.match(/"RoleBinding shop\/log-reader" -> "Role shop\/log-reader" \[label="rule 0"\];/g)).toHaveLength(1);
    const svg = execFileSync('dot', ['-Tsvg'], { input: r.stdout, encoding: 'utf8' });
    expect(svg).toContain('<svg');
    expect(svg).toContain('ServiceAccount shop/api');
  });

  it('rejects an unknown format in one line', async () => {
    const r = await cli(['rbac', 'who-can', 'get', 'pods', '-f', 'rbac.yaml', '--format', 'yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--format: "yaml" is not one of text, json, csv, dot');
  });

  it('without -n asks cluster-wide, which only ClusterRoleBindings grant', async () => {
    const r = await cli(['rbac', 'who-can', 'get', 'pods', '-f', 'rbac.yaml'], { cwd: dir });
    expect(r.stdout).not.toContain('ServiceAccount shop/api');
    expect(r.stdout).toContain('Group system:masters');
  });
});

describe('rbac access', () => {
  it("folds a user's rules into resources x verbs, cluster-wide and per namespace", async () => {
    const r = await cli(['rbac', 'access', 'alice', '--as-group', 'oncall', '-f', 'rbac.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const { rows } = JSON.parse(r.stdout) as { rows: Array<{ namespace: string; target: string; verbs: string[] }> };
    expect(rows).toEqual(
      expect.arrayContaining([
        { namespace: 'shop', target: 'pods', verbs: ['get', 'list'] },
        { namespace: 'shop', target: 'pods/log', verbs: ['get', 'list'] },
        { namespace: 'shop', target: 'configmaps [app-config]', verbs: ['get'] },
        // Every authenticated user may ask what it may do (built-in system:basic-user).
        { namespace: '', target: 'selfsubjectaccessreviews.authorization.k8s.io', verbs: ['create'] },
      ]),
    );
    expect(rows.some((x) => x.target === 'secrets')).toBe(false);
    const csv = await cli(['rbac', 'access', 'scraper', '-f', 'rbac.yaml', '--format', 'csv'], { cwd: dir });
    expect(csv.stdout.split('\n')[0]).toBe('namespace,target,verbs');
    expect(csv.stdout).toContain('*,/metrics,get\n');
    expect(csv.stdout).toContain('*,/debug/*,get\n');
  });

  it('--format dot draws the user\'s bindings and roles', async () => {
    const r = await cli(['rbac', 'access', 'system:serviceaccount:shop:api', '-f', 'rbac.yaml', '--format', 'dot'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"ServiceAccount shop/api" -> "RoleBinding shop/log-reader";');
    expect(r.stdout).toContain('"RoleBinding shop/log-reader" -> "Role shop/log-reader" [label="rule 0, 1"];');
    expect(execFileSync('dot', ['-Tsvg'], { input: r.stdout, encoding: 'utf8' })).toContain('<svg');
  });
});
