import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { policyreport } from '../../src/reporters/policyreport.js';
import { ROOT } from '../helpers/cli.js';
import { ctxOf, mixedDoc } from './helpers.js';

interface Report {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  summary: Record<'pass' | 'fail' | 'warn' | 'error' | 'skip', number>;
  results: Array<{ policy: string; result: string; severity: string; category: string; resources?: Array<{ namespace?: string; kind: string; name: string }>; properties: Record<string, unknown> }>;
  scope?: unknown;
}

// The CRDs `scan --write-reports` installs when absent (deploy/crds/): Kyverno's, which the
// policy-report tools share (kyverno/kyverno config/crds/policyreport/).
const ajv = new Ajv({ strict: false, allErrors: true });
// x-kubernetes-* keywords are Kubernetes' own, hence not strict; int32/int64 are OpenAPI formats.
ajv.addFormat('int32', true).addFormat('int64', true);
function schemaOf(file: string): ValidateFunction {
  const crd = parse(readFileSync(join(ROOT, 'deploy/crds', file), 'utf8')) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: object } }> } };
  return ajv.compile(crd.spec.versions.find((v) => v.name === 'v1alpha2')!.schema.openAPIV3Schema);
}
const validators: Record<string, ValidateFunction> = {
  PolicyReport: schemaOf('wgpolicyk8s.io_policyreports.yaml'),
  ClusterPolicyReport: schemaOf('wgpolicyk8s.io_clusterpolicyreports.yaml'),
};

async function render(): Promise<{ text: string; reports: Report[] }> {
  const text = policyreport(ctxOf(await mixedDoc()));
  const docs = parseAllDocuments(text);
  for (const d of docs) expect(d.errors).toEqual([]);
  return { text, reports: docs.map((d) => d.toJS() as Report) };
}

describe('policyreport reporter', () => {
  it('writes one ClusterPolicyReport and one PolicyReport per namespace, sorted', async () => {
    const { reports } = await render();
    expect(reports.map((r) => `${r.kind} ${r.metadata.namespace ?? '-'} ${r.metadata.name}`)).toEqual([
      'ClusterPolicyReport - kubeladder-cluster',
      'PolicyReport evil kubeladder-evil',
      'PolicyReport kube-system kubeladder-kube-system',
      'PolicyReport payments kubeladder-payments',
      'PolicyReport shop kubeladder-shop',
    ]);
    for (const r of reports) {
      expect(r.apiVersion).toBe('wgpolicyk8s.io/v1alpha2');
      expect(r.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'kubeladder' });
      expect(r.scope).toBeUndefined();
    }
  });

  it('validates against the PolicyReport CRD schema', async () => {
    const { reports } = await render();
    for (const r of reports) {
      const validate = validators[r.kind]!;
      expect(validate(r), `${r.metadata.name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    const broken = structuredClone(reports[1]!);
    broken.results[0]!.severity = 'urgent';
    expect(validators.PolicyReport!(broken)).toBe(false);
  });

  it("files each result under its object's namespace, a Namespace's in its own report, and the rest in the cluster report", async () => {
    const { reports } = await render();
    for (const r of reports.slice(1)) {
      for (const x of r.results) {
        const res = x.resources![0]!;
        expect(res.kind === 'Namespace' ? res.name : res.namespace).toBe(r.metadata.namespace);
      }
    }
    const shop = reports.find((r) => r.metadata.name === 'kubeladder-shop')!;
    expect(shop.results.filter((x) => x.resources![0]!.kind === 'Namespace').map((x) => x.policy)).toEqual(['netpol/namespace-default-deny']);
    const cluster = reports[0]!;
    expect(cluster.results.every((x) => !x.resources || x.resources[0]!.namespace === undefined)).toBe(true);
    expect(cluster.results.map((x) => x.resources?.[0] ? `${x.resources[0].kind}/${x.resources[0].name}` : x.properties.subject ?? x.policy)).toEqual([
      'node-1:/etc/ssh/sshd_config',
      'node-2:/etc/ssh/sshd_config',
      'ClusterRole/too-much',
      'expose/node-port',
    ]);
  });

  it('has summaries that add up to its results and to the document', async () => {
    const { reports } = await render();
    const doc = await mixedDoc();
    for (const r of reports) {
      for (const k of ['pass', 'fail', 'warn', 'error', 'skip'] as const) expect(r.summary[k]).toBe(r.results.filter((x) => x.result === k).length);
    }
    const total = (k: 'pass' | 'fail' | 'skip'): number => reports.reduce((n, r) => n + r.summary[k], 0);
    expect(total('fail')).toBe(doc.summary.counts.fail);
    expect(total('pass')).toBe(doc.summary.counts.pass);
    expect(total('skip')).toBe(doc.summary.counts.exempt + doc.summary.counts['not-assessed']);
  });

  it('maps status, severity, rung and place the way policy-report tools read them', async () => {
    const { reports } = await render();
    const all = reports.flatMap((r) => r.results);
    const exempt = all.find((x) => x.policy === 'pod/privileged' && x.result === 'skip')!;
    expect(exempt).toMatchObject({
      rule: 'pod/privileged',
      category: 'rung 2: In the cluster',
      severity: 'critical',
      source: 'kubeladder',
      scored: true,
      resources: [{ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'debug' }],
      properties: { rung: '2', path: 'spec.containers[0].securityContext.privileged', file: 'test/reporters/fixtures/shop.yaml', line: '36', status: 'exempt' },
    });
    expect(all.find((x) => x.policy === 'expose/node-port')).toMatchObject({ result: 'skip', properties: { status: 'not-assessed', reason: 'needs network probes (kubeladder expose)' } });
    for (const x of all) for (const v of Object.values(x.properties)) expect(typeof v).toBe('string');
  });

  it('is deterministic: no timestamps, same bytes every time', async () => {
    const a = (await render()).text;
    expect((await render()).text).toBe(a);
    expect(a).not.toMatch(/timestamp|creationTimestamp/);
  });
});

describe('deploy/crds', () => {
  it('holds the PolicyReport and ClusterPolicyReport CRDs, alike but for scope and names', () => {
    const [polr, cpolr] = ['policyreports', 'clusterpolicyreports'].map((p) => parse(readFileSync(join(ROOT, `deploy/crds/wgpolicyk8s.io_${p}.yaml`), 'utf8')));
    expect([polr.metadata.name, cpolr.metadata.name]).toEqual(['policyreports.wgpolicyk8s.io', 'clusterpolicyreports.wgpolicyk8s.io']);
    expect([polr.spec.scope, cpolr.spec.scope]).toEqual(['Namespaced', 'Cluster']);
    expect([polr.spec.names.kind, cpolr.spec.names.kind]).toEqual(['PolicyReport', 'ClusterPolicyReport']);
    const props = (crd: { spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: unknown } } }> } }) => crd.spec.versions.map((v) => v.schema.openAPIV3Schema.properties);
    expect(props(cpolr)).toEqual(props(polr));
  });
});
