import { describe, expect, it } from 'vitest';
import { decide } from '../../src/webhook/decide.js';
import { DEFAULT_POLICY } from '../../src/webhook/policy.js';
import { cronJob, deployment, plainSpec, pod, policy, privilegedSpec, request } from './fixtures.js';

const PRIVILEGED = policy('rules:\n  - check: pod/privileged\n    mode: enforce\n');

describe('decide: check rules', () => {
  it('denies a privileged pod in enforce mode, naming the check and its fix', () => {
    const d = decide(PRIVILEGED, request(pod('web', privilegedSpec())));
    expect(d.allowed).toBe(false);
    expect(d.status?.code).toBe(403);
    expect(d.status?.message).toMatch(/^kubeladder denied Pod shop\/web: pod\/privileged: container "api" runs privileged \(fix: Set `privileged: false`/);
  });

  it('admits a plain pod', () => {
    const d = decide(PRIVILEGED, request(pod('web', plainSpec())));
    expect(d).toMatchObject({ allowed: true, warnings: [], audit: [] });
    expect(d.status).toBeUndefined();
  });

  it('denies a Deployment whose pod template is privileged', () => {
    const d = decide(PRIVILEGED, request(deployment('api', privilegedSpec())));
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toMatch(/^kubeladder denied Deployment shop\/api: pod\/privileged: container "api" runs privileged/);
  });

  it('judges a CronJob at its job template', () => {
    expect(decide(PRIVILEGED, request(cronJob('nightly', privilegedSpec()))).allowed).toBe(false);
    expect(decide(PRIVILEGED, request(cronJob('nightly', plainSpec()))).allowed).toBe(true);
  });

  it('warns in warn mode and records in audit mode, allowing both', () => {
    const warn = decide(policy('rules:\n  - check: pod/privileged\n    mode: warn\n'), request(pod('web', privilegedSpec())));
    expect(warn.allowed).toBe(true);
    expect(warn.warnings).toEqual([expect.stringMatching(/^kubeladder: pod\/privileged: container "api" runs privileged \(fix: /)]);
    const audit = decide(policy('rules:\n  - check: pod/privileged\n    mode: audit\n'), request(pod('web', privilegedSpec())));
    expect(audit.allowed).toBe(true);
    expect(audit.warnings).toEqual([]);
    expect(audit.audit).toEqual([{ check: 'pod/privileged', message: expect.stringContaining('runs privileged') }]);
  });

  it('ignores the scanner\'s exemption annotation: the object\'s author cannot exempt it', () => {
    const obj = pod('web', privilegedSpec(), { annotations: { 'kubeladder.io/exempt': 'pod/privileged', 'kubeladder.io/exempt-reason': 'trust me' } });
    expect(decide(PRIVILEGED, request(obj)).allowed).toBe(false);
  });

  it('runs every check a glob selects', () => {
    const p = policy('rules:\n  - check: "pod/host-*"\n');
    const d = decide(p, request(pod('web', { hostNetwork: true, ...plainSpec() })));
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toContain('pod/host-namespaces: ');
  });
});

describe('decide: PSS rules', () => {
  it('enforces baseline and warns on restricted (the default policy)', () => {
    const bad = decide(DEFAULT_POLICY, request(pod('web', { hostPID: true, ...plainSpec() })));
    expect(bad.allowed).toBe(false);
    expect(bad.status?.message).toMatch(/^kubeladder denied Pod shop\/web: pss\/baseline: host namespaces \(hostPID=true\) \(Pod Security Standards baseline, latest\)/);
    const plain = decide(DEFAULT_POLICY, request(pod('web', plainSpec())));
    expect(plain.allowed).toBe(true);
    expect(plain.warnings.length).toBeGreaterThan(0);
    expect(plain.warnings.every((w) => w.startsWith('kubeladder: pss/restricted: '))).toBe(true);
    expect(plain.warnings.join('\n')).toContain('allowPrivilegeEscalation != false');
  });

  it('honours the version', () => {
    // Restricted requires seccomp from v1.19 and dropped capabilities from v1.22: this pod has neither.
    const p = policy('rules:\n  - pss: {level: restricted, version: v1.22}\n');
    const d = decide(p, request(pod('web', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', image: 'x', securityContext: { allowPrivilegeEscalation: false } }] })));
    expect(d.allowed).toBe(false);
    const old = decide(policy('rules:\n  - pss: {level: restricted, version: v1.18}\n'), request(pod('web', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', image: 'x', securityContext: { allowPrivilegeEscalation: false } }] })));
    expect(old.allowed).toBe(true);
  });
});

describe('decide: image rules', () => {
  const p = policy('rules:\n  - images: {allow: ["registry.example.com/**", "ghcr.io/acme/*", "docker.io/library/nginx"], requireDigest: true}\n');
  const withImage = (image: string) => pod('web', { containers: [{ name: 'api', image }] });
  it('allows images from allowed repositories with a digest', () => {
    expect(decide(p, request(withImage(`registry.example.com/shop/api@sha256:${'a'.repeat(64)}`))).allowed).toBe(true);
    expect(decide(p, request(withImage(`ghcr.io/acme/app:1@sha256:${'a'.repeat(64)}`))).allowed).toBe(true);
    expect(decide(p, request(withImage(`nginx@sha256:${'a'.repeat(64)}`))).allowed).toBe(true);
  });
  it('denies other registries, deeper paths than * allows, and missing digests', () => {
    const other = decide(p, request(withImage(`quay.io/evil/app@sha256:${'a'.repeat(64)}`)));
    expect(other.status?.message).toContain('images: container "api" uses image "quay.io/evil/app@sha256:');
    expect(decide(p, request(withImage(`ghcr.io/acme/team/app@sha256:${'a'.repeat(64)}`))).allowed).toBe(false);
    const tag = decide(p, request(withImage('registry.example.com/shop/api:1.0')));
    expect(tag.status?.message).toContain('without a digest (fix: pin the image by digest');
  });
  it('judges init and ephemeral containers too', () => {
    const d = decide(p, request(pod('web', { containers: [{ name: 'a', image: `registry.example.com/a@sha256:${'a'.repeat(64)}` }], initContainers: [{ name: 'i', image: 'busybox' }] })));
    expect(d.status?.message).toContain('init container "i"');
  });
});

describe('decide: sandbox', () => {
  const p = policy('rules: []\nsandbox: {runtimeClassName: gvisor}\n');
  it('requires the runtime class for untrusted workloads only', () => {
    const labelled = deployment('runner', plainSpec(), { 'kubeladder.io/untrusted': 'true' });
    const d = decide(p, request(labelled));
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toContain('sandbox: untrusted workload (it is labelled kubeladder.io/untrusted: "true") sets no runtimeClassName');
    expect(d.status?.message).toContain('(fix: set runtimeClassName: gvisor)');
    expect(decide(p, request(deployment('runner', { runtimeClassName: 'gvisor', ...plainSpec() }, { 'kubeladder.io/untrusted': 'true' }))).allowed).toBe(true);
    expect(decide(p, request(deployment('runner', { runtimeClassName: 'runc', ...plainSpec() }, { 'kubeladder.io/untrusted': 'true' }))).status?.message).toContain('not the sandbox "gvisor"');
    expect(decide(p, request(deployment('web', plainSpec()))).allowed).toBe(true);
  });
  it("takes the namespace's labels when the webhook is told them (the /validate-untrusted path)", () => {
    const d = decide(p, request(deployment('web', plainSpec())), { namespaceLabels: { 'kubeladder.io/untrusted': 'true' } });
    expect(d.status?.message).toContain('sandbox: untrusted workload (its namespace "shop" is labelled kubeladder.io/untrusted: "true")');
  });
  it('lets the pod checks see those namespace labels too (pod/untrusted-without-sandbox)', () => {
    const q = policy('rules:\n  - check: pod/untrusted-without-sandbox\n');
    expect(decide(q, request(deployment('web', plainSpec()))).allowed).toBe(true);
    const d = decide(q, request(deployment('web', plainSpec())), { namespaceLabels: { 'kubeladder.io/untrusted': 'true' } });
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toContain('pod/untrusted-without-sandbox');
  });
  it('sees the label on the pod template', () => {
    const d = deployment('runner', plainSpec());
    ((d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels)['kubeladder.io/untrusted'] = 'true';
    expect(decide(p, request(d)).allowed).toBe(false);
  });
});

describe('decide: exemptions', () => {
  const p = policy(`rules:\n  - check: pod/privileged\nexemptions:\n  namespaces: [kube-system, "team-*"]\n  usernames: ["system:serviceaccount:argocd:*"]\n  groups: ["system:masters"]\n  serviceAccounts: ["ops/*"]\n`);
  const priv = pod('web', privilegedSpec());
  it('exempts by namespace, username, group and service account', () => {
    expect(decide(p, request(priv, { namespace: 'kube-system' })).skipped).toBe('exempt: namespace kube-system matches kube-system');
    expect(decide(p, request(priv, { namespace: 'team-a' })).allowed).toBe(true);
    expect(decide(p, request(priv, { userInfo: { username: 'system:serviceaccount:argocd:argocd-application-controller' } })).allowed).toBe(true);
    expect(decide(p, request(priv, { userInfo: { username: 'bob', groups: ['system:authenticated', 'system:masters'] } })).skipped).toBe('exempt: group system:masters matches system:masters');
    expect(decide(p, request(priv, { userInfo: { username: 'system:serviceaccount:ops:deployer' } })).skipped).toBe('exempt: service account ops/deployer matches ops/*');
  });
  it('does not exempt others', () => {
    expect(decide(p, request(priv, { userInfo: { username: 'system:serviceaccount:opsx:deployer' } })).allowed).toBe(false);
    expect(decide(p, request(priv, { userInfo: { username: 'alice', groups: ['system:authenticated'] } })).allowed).toBe(false);
  });
  it('neither mutates an exempt object', () => {
    const m = policy('rules: []\nmutations: [seccompRuntimeDefault]\nexemptions: {namespaces: [kube-system]}\n');
    expect(decide(m, request(pod('web', plainSpec()))).patch?.length).toBe(1);
    expect(decide(m, request(pod('web', plainSpec()), { namespace: 'kube-system' })).patch).toBeUndefined();
  });
});

describe('decide: requests', () => {
  it('judges the ephemeral containers of pods/ephemeralcontainers, and patches only them', () => {
    const p = policy('rules:\n  - check: pod/privileged\nmutations: [noPrivilegeEscalation, seccompRuntimeDefault]\n');
    const obj = pod('web', { ...plainSpec(), ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }] });
    const d = decide(p, request(obj, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: pod('web', plainSpec()) }));
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toContain('ephemeral container "debugger" runs privileged');
    const ok = pod('web', { ...plainSpec(), ephemeralContainers: [{ name: 'debugger', image: 'busybox' }] });
    const d2 = decide(p, request(ok, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: pod('web', plainSpec()) }));
    expect(d2.allowed).toBe(true);
    expect(d2.patch).toEqual([{ op: 'add', path: '/spec/ephemeralContainers/0/securityContext', value: { allowPrivilegeEscalation: false } }]);
  });

  it('judges UPDATEs of workloads; a pod update that leaves the spec alone passes', () => {
    const old = deployment('api', plainSpec());
    expect(decide(PRIVILEGED, request(deployment('api', privilegedSpec()), { operation: 'UPDATE', oldObject: old })).allowed).toBe(false);
    const running = pod('web', privilegedSpec());
    const relabelled = pod('web', privilegedSpec(), { labels: { tier: 'x' } });
    const d = decide(PRIVILEGED, request(relabelled, { operation: 'UPDATE', oldObject: running }));
    expect(d).toMatchObject({ allowed: true, skipped: 'pod update that leaves the spec unchanged' });
    const changed = pod('web', { ...privilegedSpec(), activeDeadlineSeconds: 5 });
    expect(decide(PRIVILEGED, request(changed, { operation: 'UPDATE', oldObject: running })).allowed).toBe(false);
  });

  it('judges dry-run requests exactly like real ones', () => {
    const p = policy('rules:\n  - check: pod/privileged\nmutations: [seccompRuntimeDefault]\n');
    const real = decide(p, request(pod('web', privilegedSpec())));
    const dry = decide(p, request(pod('web', privilegedSpec()), { dryRun: true }));
    expect(dry).toEqual(real);
    expect(decide(p, request(pod('web', plainSpec()), { dryRun: true })).patch).toHaveLength(1);
  });

  it('lets everything else through untouched', () => {
    const p = policy('rules:\n  - check: pod/privileged\nmutations: [seccompRuntimeDefault]\n');
    const priv = pod('web', privilegedSpec());
    for (const over of [{ operation: 'DELETE' }, { operation: 'CONNECT' }, { subResource: 'status' }, { subResource: 'binding' }]) {
      const d = decide(p, request(priv, over));
      expect(d).toMatchObject({ allowed: true, warnings: [], audit: [], findings: [] });
      expect(d.patch).toBeUndefined();
    }
    const cm = decide(p, request({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }));
    expect(cm).toMatchObject({ allowed: true, skipped: 'kind ConfigMap' });
  });

  it('denies in enforce mode what it cannot judge, and says so', () => {
    const bad = request({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: 'nonsense' });
    const d = decide(PRIVILEGED, bad);
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toBe('kubeladder denied Pod shop/web could not be judged: the object has no pod spec where a Pod keeps it');
    expect(decide(PRIVILEGED, request(pod('x', {}), { object: 42 })).status?.message).toContain('could not be judged: the object is not a JSON object');
    const warnOnly = decide(policy('rules:\n  - check: pod/privileged\n    mode: warn\n'), bad);
    expect(warnOnly.allowed).toBe(true);
    expect(warnOnly.warnings[0]).toContain('could not be judged');
    // Odd field types inside a spec are judged, not a crash.
    const odd = pod('web', { containers: [{ name: 'a', image: 7, securityContext: 'x' }, null, 'str'], initContainers: {}, volumes: 'v' });
    expect(() => decide(policy('rules:\n  - pss: {level: restricted}\n  - images: {allow: ["x/**"]}\n  - check: "pod/*"\n'), request(odd))).not.toThrow();
  });
});

describe('decide: objects as the API server holds them', () => {
  it('does not flag serviceAccount when the API server echoed serviceAccountName into it', () => {
    const p = policy('rules:\n  - check: pod/deprecated-service-account-field\n');
    expect(decide(p, request(pod('web', { serviceAccountName: 'api', serviceAccount: 'api', ...plainSpec() }))).allowed).toBe(true);
    expect(decide(p, request(pod('web', { serviceAccountName: 'api', serviceAccount: 'other', ...plainSpec() }))).allowed).toBe(false);
  });
  it('offers no check that needs RBAC bindings, which a webhook never sees', () => {
    expect(() => policy('rules:\n  - check: rbac/pod-blast-radius\n')).toThrow(/rbac\/pod-blast-radius/);
  });
});
