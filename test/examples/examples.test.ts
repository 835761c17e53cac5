/**
 * The bundled shops: the insecure one fails every check that manifests can decide, the
 * hardened one passes rung 2 with its exemptions listed. Expectations come from the check
 * registry, so a new check must find its mistake in insecure-shop and pass hardened-shop.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import type { Check } from '../../src/core/check.js';
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION } from '../../src/core/exemptions.js';
import type { ResultsDocument } from '../../src/core/results.js';
import type { Result } from '../../src/core/types.js';
import { CLUSTER_SCOPED_KINDS } from '../../src/engines/kinds.js';
import { ROOT, cli, type CliRun } from '../helpers/cli.js';

const INSECURE = 'examples/insecure-shop';
const HARDENED = 'examples/hardened-shop';

/**
 * The checks that fail on the insecure shop today, and objects each must name. Every check
 * that manifests can assess must fail there (asserted from the registry below); this list
 * pins the current ones to the mistakes they are meant to find. Later checks (PSS, RBAC,
 * secrets, exposure) add their ids and subjects here.
 */
const INSECURE_FAILURES_TODAY: Record<string, string[]> = {
  'admission/apiserver-admission-plugins': ['Pod kube-system/kube-apiserver'],
  'admission/webhook-failure-policy-ignore': ['ValidatingWebhookConfiguration saas-policy'],
  'admission/webhook-no-system-exclusion': ['ValidatingWebhookConfiguration saas-policy'],
  'admission/webhook-review-versions': ['ValidatingWebhookConfiguration saas-policy'],
  'admission/webhook-side-effects': ['ValidatingWebhookConfiguration saas-policy'],
  'admission/webhook-timeout': ['ValidatingWebhookConfiguration saas-policy'],
  'admission/webhook-url': ['ValidatingWebhookConfiguration saas-policy'],
  'api/removed-version': ['PodDisruptionBudget shop/postgres'],
  'cluster/sandbox-runtime-class': ['Namespace shop'],
  'configmap/sensitive-keys': ['ConfigMap shop/api-config'],
  'image/digest-pinning': ['Deployment shop/api', 'Deployment shop/feed-importer', 'DaemonSet monitoring/windows-exporter'],
  'image/latest-tag': ['Deployment shop/frontend', 'Deployment shop/worker', 'CronJob shop/expire-carts', 'DaemonSet monitoring/node-exporter'],
  'mesh/mutual-tls': ['Namespace shop', 'Namespace monitoring'],
  'namespace/pod-security-labels': ['Namespace monitoring'],
  'namespace/pod-security-version': ['Namespace shop'],
  'netpol/dns-egress-blocked': ['Namespace shop'],
  'netpol/ingress-open-sensitive-ports': ['NetworkPolicy monitoring/allow-all'],
  'netpol/invalid-policy': ['NetworkPolicy shop/postgres'],
  'netpol/metadata-egress': ['Deployment shop/api', 'Deployment monitoring/prometheus'],
  'netpol/namespace-default-deny': ['Namespace shop', 'Namespace monitoring'],
  'netpol/pod-egress-not-isolated': ['Deployment shop/api', 'StatefulSet shop/postgres'],
  'netpol/pod-ingress-not-isolated': ['Deployment shop/frontend', 'StatefulSet shop/postgres'],
  'netpol/policy-selects-nothing': ['NetworkPolicy shop/storefront'],
  'pod/allow-privilege-escalation': ['Deployment shop/api', 'StatefulSet shop/postgres'],
  'pod/apparmor': ['DaemonSet monitoring/node-exporter'],
  'pod/automount-service-account-token': [
    'Deployment shop/frontend',
    'Deployment shop/api',
    'Deployment shop/worker',
    'CronJob shop/expire-carts',
    'StatefulSet shop/postgres',
    'DaemonSet monitoring/node-exporter',
    'Deployment monitoring/prometheus',
  ],
  'pod/capabilities': ['DaemonSet monitoring/node-exporter'],
  'pod/container-runtime-socket': ['Deployment shop/worker', 'DaemonSet monitoring/node-exporter'],
  'pod/default-service-account': ['Deployment shop/frontend', 'StatefulSet shop/postgres', 'DaemonSet monitoring/node-exporter', 'Pod shop/smoke-test'],
  'pod/deprecated-service-account-field': ['Deployment shop/api'],
  'pod/drop-capabilities': ['Deployment shop/api', 'DaemonSet monitoring/node-exporter'],
  'pod/host-aliases': ['Deployment shop/api'],
  'pod/host-namespaces': ['DaemonSet monitoring/node-exporter', 'DaemonSet monitoring/windows-exporter'],
  'pod/host-path': ['Deployment shop/worker', 'DaemonSet monitoring/node-exporter'],
  'pod/host-ports': ['DaemonSet monitoring/node-exporter'],
  'pod/literal-secret-env': ['Deployment shop/api', 'Deployment shop/worker', 'CronJob shop/expire-carts'],
  'pod/no-controller': ['Pod shop/smoke-test'],
  'pod/privileged': ['DaemonSet monitoring/node-exporter'],
  'pod/probe-host': ['Deployment shop/api'],
  'pod/probes': ['Deployment shop/frontend', 'StatefulSet shop/postgres', 'Deployment monitoring/prometheus'],
  'pod/proc-mount': ['Deployment shop/feed-importer'],
  'pod/readonly-root-filesystem': ['Deployment shop/api', 'StatefulSet shop/postgres', 'Pod shop/smoke-test'],
  'pod/resources': ['Deployment shop/api', 'DaemonSet monitoring/node-exporter'],
  'pod/run-as-non-root': ['Deployment shop/api', 'StatefulSet shop/postgres', 'DaemonSet monitoring/windows-exporter'],
  'pod/seccomp-profile': ['Deployment shop/api', 'Deployment monitoring/prometheus'],
  'pod/seccomp-unconfined': ['Deployment monitoring/prometheus'],
  'pod/selinux': ['DaemonSet monitoring/node-exporter'],
  'pod/sensitive-host-path': ['DaemonSet monitoring/node-exporter'],
  'pod/sysctls': ['Deployment monitoring/prometheus'],
  'pod/untrusted-without-sandbox': ['Deployment shop/feed-importer'],
  'pod/volume-types': ['Deployment shop/worker', 'DaemonSet monitoring/node-exporter'],
  'pod/windows-host-process': ['DaemonSet monitoring/windows-exporter'],
  'rbac/binding-missing-role': ['RoleBinding shop/metrics-reader'],
  'rbac/binding-missing-service-account': ['RoleBinding shop/deployer'],
  'rbac/cluster-admin-binding': ['ClusterRoleBinding api-cluster-admin'],
  'rbac/csr-approve': ['ClusterRoleBinding api-cluster-admin'],
  'rbac/default-service-account-bound': ['RoleBinding shop/status-reader'],
  'rbac/escalation-verbs': ['ClusterRoleBinding api-cluster-admin', 'RoleBinding shop/deployer'],
  'rbac/events-delete': ['ClusterRoleBinding api-cluster-admin', 'RoleBinding shop/deployer'],
  'rbac/kube-system-configmaps': ['ClusterRoleBinding api-cluster-admin'],
  'rbac/namespace-patch': ['ClusterRoleBinding api-cluster-admin', 'RoleBinding shop/deployer'],
  'rbac/nodes-proxy': ['ClusterRoleBinding api-cluster-admin'],
  'rbac/persistent-volume-create': ['ClusterRoleBinding api-cluster-admin'],
  'rbac/pod-blast-radius': ['Deployment shop/api', 'Deployment monitoring/prometheus'],
  'rbac/pod-exec': ['ClusterRoleBinding api-cluster-admin', 'RoleBinding shop/deployer'],
  'rbac/public-group-binding': ['RoleBinding shop/status-reader'],
  'rbac/token-create': ['ClusterRoleBinding api-cluster-admin', 'RoleBinding shop/deployer'],
  'rbac/webhook-config': ['ClusterRoleBinding api-cluster-admin'],
  'rbac/secrets-read': ['ClusterRoleBinding api-cluster-admin', 'ClusterRoleBinding prometheus', 'RoleBinding shop/deployer'],
  'rbac/unused-role': ['Role shop/metrics-viewer'],
  'rbac/wildcard-rule': ['Role shop/deployer'],
  'rbac/workload-token-theft': ['RoleBinding shop/deployer'],
  'serviceaccount/automount-token': ['ServiceAccount shop/api', 'ServiceAccount monitoring/prometheus'],
  'workload/pod-disruption-budget': ['Deployment shop/frontend', 'Deployment shop/api'],
};

/**
 * The insecure shop's dangling references, there for rbac/binding-missing-role,
 * rbac/binding-missing-service-account and netpol/policy-selects-nothing.
 */
const DANGLING_ON_PURPOSE = [
  'frontend.yaml: NetworkPolicy shop/storefront: podSelector selects no pods',
  'rbac.yaml: RoleBinding shop/deployer: subject ServiceAccount shop/gitlab-runner not defined',
  'rbac.yaml: RoleBinding shop/metrics-reader: Role metrics-reader not defined',
];

const POD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/** A check that a manifest scan can run: it needs nothing beyond the manifests themselves. */
function assessableFromManifests(c: Check): boolean {
  return (c.needs.inputs ?? []).every((i) => i === 'manifests');
}

function subjectOf(r: Result): string {
  const o = r.object;
  return o ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}` : '?';
}

async function scanJson(dir: string, ...extra: string[]): Promise<{ run: CliRun; doc: ResultsDocument }> {
  const run = await cli(['scan', dir, '--format', 'json', '--fail-on', 'none', ...extra]);
  return { run, doc: JSON.parse(run.stdout) as ResultsDocument };
}

// ---- the manifests themselves, read independently of kubeladder's sources ----

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  file: string;
  [k: string]: unknown;
}

function load(dir: string): Obj[] {
  const out: Obj[] = [];
  for (const f of yamlFiles(dir)) {
    for (const d of yaml.loadAll(readFileSync(join(ROOT, dir, f), 'utf8'))) {
      if (d !== null && d !== undefined) out.push({ ...(d as Omit<Obj, 'file'>), file: f } as Obj);
    }
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

function display(o: Obj): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
interface PodTemplate {
  labels: Record<string, string>;
  spec: any;
}

function podTemplate(o: Obj): PodTemplate | undefined {
  const s = o.spec as any;
  switch (o.kind) {
    case 'Pod':
      return { labels: o.metadata.labels ?? {}, spec: s };
    case 'CronJob':
      return { labels: s.jobTemplate.spec.template.metadata?.labels ?? {}, spec: s.jobTemplate.spec.template.spec };
    default:
      return POD_KINDS.includes(o.kind) ? { labels: s.template.metadata?.labels ?? {}, spec: s.template.spec } : undefined;
  }
}

function containers(spec: any): any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Problems that would make Kubernetes reject the objects or leave them dangling. */
function consistencyProblems(objs: Obj[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, ns: string | undefined, name: string): Obj | undefined =>
    objs.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
  const templates = objs.flatMap((o) => {
    const t = podTemplate(o);
    return t ? [{ o, t }] : [];
  });
  for (const o of objs) {
    const where = `${o.file}: ${display(o)}`;
    if (!o.metadata?.name) problems.push(`${o.file}: ${o.kind} without a name`);
    const namespaced = !CLUSTER_SCOPED_KINDS.has(o.kind);
    if (namespaced && !o.metadata.namespace) problems.push(`${where}: names no namespace`);
    // Every cluster has its own namespaces: the control plane's static pods live in kube-system.
    const builtIn = ['kube-system', 'kube-public', 'kube-node-lease', 'default'].includes(o.metadata.namespace ?? '');
    if (namespaced && o.metadata.namespace && !builtIn && !find('Namespace', undefined, o.metadata.namespace)) problems.push(`${where}: namespace not defined`);
    const spec = o.spec as any;
    const t = podTemplate(o);
    if (t && o.kind !== 'Pod' && o.kind !== 'CronJob' && !matches(spec.selector?.matchLabels ?? { missing: 'selector' }, t.labels)) {
      problems.push(`${where}: selector does not match the template's labels`);
    }
    if (t) {
      const sa = t.spec.serviceAccountName ?? t.spec.serviceAccount;
      if (sa && sa !== 'default' && !find('ServiceAccount', o.metadata.namespace, sa)) problems.push(`${where}: service account ${sa} not defined`);
      const volumes = new Set<string>([
        ...(t.spec.volumes ?? []).map((v: any) => v.name),
        ...(spec.volumeClaimTemplates ?? []).map((v: any) => v.metadata.name),
      ]);
      for (const c of containers(t.spec)) {
        for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${where}: container ${c.name} mounts undefined volume ${m.name}`);
        const ports = new Set((c.ports ?? []).map((p: any) => p.name));
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
          const port = probe?.httpGet?.port;
          if (typeof port === 'string' && !ports.has(port)) problems.push(`${where}: probe names undefined port ${port}`);
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          const secret = find('Secret', o.metadata.namespace, ref.name);
          if (!secret) problems.push(`${where}: secret ${ref.name} not defined`);
          else if (!((secret as any).data ?? {})[ref.key] && !((secret as any).stringData ?? {})[ref.key]) problems.push(`${where}: secret ${ref.name} has no key ${ref.key}`);
        }
        for (const e of c.envFrom ?? []) {
          if (e.configMapRef && !find('ConfigMap', o.metadata.namespace, e.configMapRef.name)) problems.push(`${where}: configmap ${e.configMapRef.name} not defined`);
        }
      }
      for (const v of t.spec.volumes ?? []) {
        if (v.configMap && !find('ConfigMap', o.metadata.namespace, v.configMap.name)) problems.push(`${where}: configmap ${v.configMap.name} not defined`);
      }
    }
    const selects = (sel: Record<string, string>): boolean =>
      templates.some(({ o: w, t: wt }) => w.metadata.namespace === o.metadata.namespace && matches(sel, wt.labels));
    if (o.kind === 'Service') {
      if (!selects(spec.selector ?? {})) problems.push(`${where}: selects no pods`);
      for (const p of spec.ports ?? []) {
        if (typeof p.targetPort !== 'string') continue;
        const named = templates.some(
          ({ o: w, t: wt }) =>
            w.metadata.namespace === o.metadata.namespace && matches(spec.selector ?? {}, wt.labels) && containers(wt.spec).some((c) => (c.ports ?? []).some((cp: any) => cp.name === p.targetPort)),
        );
        if (!named) problems.push(`${where}: targetPort ${p.targetPort} is no container port of the selected pods`);
      }
    }
    if (o.kind === 'StatefulSet' && !find('Service', o.metadata.namespace, spec.serviceName)) problems.push(`${where}: serviceName ${spec.serviceName} not defined`);
    if (o.kind === 'PodDisruptionBudget' && !selects(spec.selector?.matchLabels ?? {})) problems.push(`${where}: selects no pods`);
    if (o.kind === 'NetworkPolicy' && spec.podSelector?.matchLabels && !selects(spec.podSelector.matchLabels)) problems.push(`${where}: podSelector selects no pods`);
    if (o.kind === 'Ingress') {
      for (const rule of spec.rules ?? []) {
        for (const p of rule.http?.paths ?? []) {
          const svc = find('Service', o.metadata.namespace, p.backend.service.name);
          if (!svc) problems.push(`${where}: backend service ${p.backend.service.name} not defined`);
          else if (p.backend.service.port.name && !((svc.spec as any).ports ?? []).some((sp: any) => sp.name === p.backend.service.port.name)) {
            problems.push(`${where}: backend port ${p.backend.service.port.name} not on the service`);
          }
        }
      }
    }
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      const role = (o as any).roleRef;
      const roleNs = role.kind === 'Role' ? o.metadata.namespace : undefined;
      if (role.name !== 'cluster-admin' && !find(role.kind, roleNs, role.name)) problems.push(`${where}: ${role.kind} ${role.name} not defined`);
      for (const s of (o as any).subjects ?? []) {
        if (s.kind === 'ServiceAccount' && !find('ServiceAccount', s.namespace, s.name)) problems.push(`${where}: subject ServiceAccount ${s.namespace}/${s.name} not defined`);
      }
    }
  }
  const seen = new Set<string>();
  for (const o of objs) {
    const key = `${o.apiVersion} ${display(o)}`;
    if (seen.has(key)) problems.push(`${o.file}: duplicate ${display(o)}`);
    seen.add(key);
  }
  return problems;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

// ---- the scans ----

describe('examples/insecure-shop', () => {
  let scan: { run: CliRun; doc: ResultsDocument };
  beforeAll(async () => {
    scan = await scanJson(INSECURE);
  });

  it('reads cleanly: no input problems, nothing on stderr', () => {
    expect(scan.run.code).toBe(0);
    expect(scan.doc.problems).toEqual([]);
    expect(scan.run.stderr).toBe('');
  });

  it('runs every check in the registry', () => {
    expect(scan.doc.checks.map((c) => c.id).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it('fails every check that manifests can assess', () => {
    const assessable = CHECKS.filter(assessableFromManifests).map((c) => c.id);
    const failing = scan.doc.checks.filter((c) => c.counts.fail > 0).map((c) => c.id);
    expect(assessable.filter((id) => !failing.includes(id))).toEqual([]);
  });

  it('fails today\'s checks on the objects they are meant to catch', () => {
    for (const [id, subjects] of Object.entries(INSECURE_FAILURES_TODAY)) {
      expect(CHECKS.map((c) => c.id), `${id} is in the registry`).toContain(id);
      const failed = scan.doc.results.filter((r) => r.check === id && r.status === 'fail').map(subjectOf);
      expect(failed, id).toEqual(expect.arrayContaining(subjects));
    }
  });

  it('fails rung 2 with blockers, and exits 1 with the default --fail-on', async () => {
    const rung2 = scan.doc.ladder.rungs.find((r) => r.rung === 2)!;
    expect(rung2.status).toBe('failed');
    expect(rung2.blockers).toBeGreaterThan(0);
    expect(scan.doc.ladder.rung).toBe(0);
    const run = await cli(['scan', INSECURE, '--format', 'json']);
    expect(run.code).toBe(1);
  });

  it('points every failure at a line of its file', () => {
    for (const r of scan.doc.results.filter((x) => x.status === 'fail' && x.object)) {
      expect(r.file, `${r.check} ${subjectOf(r)}`).toMatch(/^examples\/insecure-shop\/[a-z]+\.yaml$/);
      expect(r.line, `${r.check} ${subjectOf(r)}`).toBeGreaterThan(0);
    }
  });
});

describe('examples/hardened-shop', () => {
  let scan: { run: CliRun; doc: ResultsDocument };
  let withExempt: ResultsDocument;
  beforeAll(async () => {
    scan = await scanJson(HARDENED);
    withExempt = (await scanJson(HARDENED, '--show-exempt')).doc;
  });

  it('reads cleanly: no input problems, nothing on stderr', () => {
    expect(scan.doc.problems).toEqual([]);
    expect(scan.run.stderr).toBe('');
  });

  it('runs every check in the registry', () => {
    expect(scan.doc.checks.map((c) => c.id).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it('has no failure on any rung-2 check', () => {
    const failing = scan.doc.checks.filter((c) => c.rung === 2 && c.counts.fail > 0).map((c) => `${c.id}: ${c.counts.fail}`);
    expect(failing).toEqual([]);
    expect(scan.doc.results.filter((r) => r.rung === 2 && r.status === 'fail')).toEqual([]);
  });

  it('passes rung 2 (partial only while some rung-2 check needs more than manifests)', () => {
    const needsMore = CHECKS.filter((c) => c.rung === 2 && !assessableFromManifests(c)).map((c) => c.id);
    const rung2 = scan.doc.ladder.rungs.find((r) => r.rung === 2)!;
    expect(rung2.status).toBe(needsMore.length > 0 ? 'partial' : 'passed');
    expect(rung2.blockers).toBe(0);
    expect(rung2.counts.pass).toBeGreaterThan(0);
  });

  it('exits 0 with the default --fail-on', async () => {
    const run = await cli(['scan', HARDENED, '--format', 'json']);
    expect(run.code).toBe(0);
  });

  it('lists exactly the annotated exemptions under --show-exempt, each with its reason', () => {
    const known = new Set(CHECKS.map((c) => c.id));
    const annotated = load(HARDENED).filter((o) => o.metadata.annotations?.[EXEMPT_ANNOTATION] !== undefined);
    const expected = annotated.flatMap((o) =>
      o.metadata.annotations![EXEMPT_ANNOTATION]!.split(',')
        .map((id) => id.trim())
        .filter((id) => known.has(id))
        .map((id) => ({ id, subject: display(o), reason: o.metadata.annotations![EXEMPT_REASON_ANNOTATION]! })),
    );
    // Prometheus keeps its token today; node-exporter's host access joins when those checks land.
    expect(expected.map((e) => `${e.id} ${e.subject}`)).toContain('pod/automount-service-account-token Deployment monitoring/prometheus');

    const exempt = withExempt.results.filter((r) => r.status === 'exempt');
    for (const e of expected) {
      const hits = exempt.filter((r) => r.check === e.id && subjectOf(r) === e.subject);
      expect(hits.length, `${e.id} on ${e.subject} is exempt, not hidden and not stale`).toBeGreaterThan(0);
      for (const h of hits) expect(h.reason).toBe(`annotation ${EXEMPT_ANNOTATION}: ${e.reason}`);
    }
    // Nothing is exempt that no annotation asked for, but the system namespaces' default
    // exemption (kube-system is there: the control plane's static pod lives in it).
    const asked = new Set(expected.map((e) => `${e.id} ${e.subject}`));
    const byDefault = exempt.filter((r) => r.reason?.startsWith('default exemption: kube-system is a system namespace'));
    expect(byDefault.map((r) => subjectOf(r))).toEqual(byDefault.map(() => 'Namespace kube-system'));
    expect(exempt.filter((r) => !byDefault.includes(r)).map((r) => `${r.check} ${subjectOf(r)}`).filter((k) => !asked.has(k))).toEqual([]);
    // Counted the same with or without --show-exempt, and listed only with it.
    expect(withExempt.summary.counts.exempt).toBe(exempt.length);
    expect(scan.doc.summary.counts.exempt).toBe(exempt.length);
    expect(scan.doc.results.filter((r) => r.status === 'exempt')).toEqual([]);
  });

  it('gives every exemption annotation a reason and well-formed check ids', () => {
    for (const o of load(HARDENED)) {
      for (const meta of [o.metadata, podTemplateMeta(o)]) {
        const ids = meta?.annotations?.[EXEMPT_ANNOTATION];
        if (ids === undefined) continue;
        expect(meta!.annotations![EXEMPT_REASON_ANNOTATION], display(o)).toMatch(/\S{3,}/);
        for (const id of ids.split(',')) expect(id.trim(), display(o)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9.]+(-[a-z0-9]+)*$/);
      }
    }
  });
});

function podTemplateMeta(o: Obj): Obj['metadata'] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = o.spec as any;
  if (o.kind === 'CronJob') return s.jobTemplate.spec.template.metadata;
  return POD_KINDS.includes(o.kind) && o.kind !== 'Pod' ? s.template.metadata : undefined;
}

// ---- the two shops side by side ----

describe('the two shops', () => {
  const insecure = load(INSECURE);
  const hardened = load(HARDENED);
  const workloads = (objs: Obj[]): string[] =>
    objs
      .filter((o) => POD_KINDS.includes(o.kind) || o.kind === 'Namespace')
      .map(display)
      .sort();

  it('split the same way and run the same workloads in the same namespaces', () => {
    expect(yamlFiles(HARDENED)).toEqual(yamlFiles(INSECURE));
    expect(workloads(hardened)).toEqual(workloads(insecure));
    expect(workloads(insecure)).toEqual(
      expect.arrayContaining(['Namespace shop', 'Namespace monitoring', 'StatefulSet shop/postgres', 'DaemonSet monitoring/node-exporter', 'Deployment monitoring/prometheus']),
    );
  });

  it.each([
    ['insecure', insecure],
    ['hardened', hardened],
  ])('%s: objects are consistent (selectors, references, no duplicates)', (_name, objs) => {
    expect(consistencyProblems(objs)).toEqual(_name === 'insecure' ? DANGLING_ON_PURPOSE : []);
  });

  it('hardened: every namespace has a default deny of exactly the documented shape', () => {
    for (const ns of hardened.filter((o) => o.kind === 'Namespace')) {
      const denies = hardened.filter(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns.metadata.name && JSON.stringify(o.spec) === JSON.stringify({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      );
      expect(denies.length, ns.metadata.name).toBe(1);
    }
  });

  it('hardened: images are pinned as registry/app:version@sha256:digest', () => {
    for (const o of hardened) {
      const t = podTemplate(o);
      if (!t) continue;
      for (const c of containers(t.spec)) expect(c.image, display(o)).toMatch(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9/._-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
    }
  });

  it('hardened: no hostPath outside the exempted node-exporter, and those mounts are read-only', () => {
    for (const o of hardened) {
      const t = podTemplate(o);
      if (!t) continue;
      const hostPaths = (t.spec.volumes ?? []).filter((v: { hostPath?: unknown }) => v.hostPath).map((v: { name: string }) => v.name);
      if (hostPaths.length === 0) continue;
      expect(display(o)).toBe('DaemonSet monitoring/node-exporter');
      expect(o.metadata.annotations?.[EXEMPT_ANNOTATION]).toContain('pod/host-path');
      for (const c of containers(t.spec)) {
        for (const m of c.volumeMounts ?? []) if (hostPaths.includes(m.name)) expect(m.readOnly, `${m.name} read-only`).toBe(true);
      }
    }
  });
});
