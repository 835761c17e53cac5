/**
 * `kubeladder fix` never breaks a cluster: the insecure shop fixed with `--include all` is
 * accepted by a real API server (validation and Pod Security admission), and every pod its
 * workloads would create is admitted, except where the shop's own labels already rejected it.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceType } from '../../src/engines/kinds.js';
import { POD_KINDS } from '../../src/engines/workloads/pod-specs.js';
import { cli, ROOT } from '../helpers/cli.js';
import { eventually, startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
const dir = mkdtempSync(join(tmpdir(), 'kl-fix-admitted-'));

/* eslint-disable @typescript-eslint/no-explicit-any */
function objects(path: string): any[] {
  return readdirSync(path)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(path, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o && typeof o === 'object');
}

/** The pod a workload's controller would create: its template's metadata and spec. */
function podOf(o: any): any {
  const template = o.kind === 'Pod' ? o : o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.kind === 'PodTemplate' ? o.template : o.spec.template;
  const spec = structuredClone(template.spec);
  // A StatefulSet's controller adds a volume per claim template.
  for (const claim of o.kind === 'StatefulSet' ? (o.spec.volumeClaimTemplates ?? []) : []) {
    spec.volumes = [...(spec.volumes ?? []), { name: claim.metadata.name, persistentVolumeClaim: { claimName: `${claim.metadata.name}-${o.metadata.name}-0` } }];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `dry-${o.metadata.name}`, namespace: o.metadata.namespace, labels: template.metadata?.labels, annotations: template.metadata?.annotations }, spec };
}

beforeAll(async () => {
  cpSync(join(ROOT, 'examples/insecure-shop'), dir, { recursive: true });
  const fixed = await cli(['fix', '--include', 'all', dir]);
  expect(fixed.code).toBe(0);
  cluster = await startCluster();
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('fix --include all on the insecure shop, against a real API server', () => {
  it('writes objects the API server accepts, and pods it admits', async () => {
    const objs = objects(dir);
    // Namespaces first, with the labels fix chose, then everything else, for real, by server-side
    // apply (as `kubectl apply --server-side`: the default ServiceAccount exists already).
    const refused: string[] = [];
    for (const o of [...objs.filter((x) => x.kind === 'Namespace'), ...objs.filter((x) => x.kind !== 'Namespace')]) {
      const res = await cluster.request('PATCH', `${collection(o)}/${o.metadata.name}?fieldManager=kubeladder-test&force=true`, o, { contentType: 'application/apply-patch+yaml' });
      if (res.status !== 200 && res.status !== 201) refused.push(`${o.kind} ${o.metadata.name}: ${res.status} ${res.body?.message ?? ''}`);
    }
    // The objects no fix can save: a PodDisruptionBudget in an API version removed in 1.25, the
    // NetworkPolicy the API server rejects (an ipBlock beside a podSelector in one peer), and the
    // webhook configuration it rejects (sideEffects Unknown is not v1). Sorted by kind.
    expect(refused.sort(), refused.join('\n')).toEqual([
      expect.stringMatching(/^NetworkPolicy postgres: 422 .*may not specify both ipBlock and another peer/),
      expect.stringMatching(/^PodDisruptionBudget postgres: 404 /),
      expect.stringMatching(/^ValidatingWebhookConfiguration saas-policy: 422 .*sideEffects/),
    ]);
    // Each workload's pod, as its controller would create it, under the namespace's enforce label
    // (pods need their service account, and the default ones come from the controller manager).
    for (const ns of ['shop', 'monitoring']) await eventually(`the default service account of ${ns}`, async () => ((await cluster.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200 ? true : undefined));
    const denied: string[] = [];
    for (const o of objs.filter((x) => POD_KINDS.includes(x.kind))) {
      const res = await cluster.request('POST', `/api/v1/namespaces/${o.metadata.namespace}/pods?dryRun=All`, podOf(o));
      if (res.status !== 201) denied.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}: ${res.body?.message ?? res.status}`);
    }
    // Only two, both refused by the shop's own label (baseline pinned at v1.24) before any fix:
    // the worker's docker-socket hostPath and the feed importer's unmasked /proc (allowed in a
    // user namespace only from 1.35). fix never lowers a label, and cannot remove either.
    expect(denied, denied.join('\n')).toEqual([
      expect.stringMatching(/^Deployment shop\/worker: .*violates PodSecurity "baseline:v1\.24": hostPath volumes/),
      expect.stringMatching(/^Deployment shop\/feed-importer: .*violates PodSecurity "baseline:v1\.24": procMount/),
    ]);
    for (const o of objects(join(ROOT, 'examples/insecure-shop')).filter((x) => ['worker', 'feed-importer'].includes(x.metadata.name) && x.kind === 'Deployment')) {
      const res = await cluster.request('POST', `/api/v1/namespaces/shop/pods?dryRun=All`, podOf(o));
      expect(res.status, `the unfixed ${o.metadata.name} is refused too`).toBe(403);
    }
  });
});

function collection(o: any): string {
  const t = resourceType(o.kind)!;
  const base = t.group ? `/apis/${t.group}/${o.apiVersion.split('/')[1]}` : `/api/${o.apiVersion}`;
  return o.metadata.namespace ? `${base}/namespaces/${o.metadata.namespace}/${t.resource}` : `${base}/${t.resource}`;
}
