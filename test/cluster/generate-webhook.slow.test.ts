/**
 * What `kubeladder generate webhook-certs` and `generate webhook` write, applied to a real API
 * server as the README says (`kubectl apply --server-side`): every object is accepted, the
 * webhook configurations keep their safety fields and the CA bundle, and the namespace enforces
 * the restricted Pod Security Standard that the webhook's own pods meet.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
const dir = mkdtempSync(join(tmpdir(), 'kl-gen-webhook-'));
const kubectl = (args: string[]) => execFileSync('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(async () => {
  cluster = await startCluster();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('generate webhook, applied', () => {
  it('is accepted whole by the API server, with the webhook configurations as generated', async () => {
    expect((await cli(['generate', 'webhook-certs', '--out-dir', join(dir, 'certs')])).code).toBe(0);
    const gen = await cli(['generate', 'webhook', '--certs', join(dir, 'certs')]);
    expect(gen.code).toBe(0);
    const file = join(dir, 'webhook.yaml');
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', file], { input: gen.stdout });
    // Server-side apply, as the README says; any rejected object fails the command.
    const out = kubectl(['apply', '--server-side', '-f', file]);
    expect(out).toMatch(/validatingwebhookconfiguration\.admissionregistration\.k8s\.io\/kubeladder serverside-applied/);
    expect(out).toMatch(/deployment\.apps\/kubeladder-webhook serverside-applied/);

    const vwc = JSON.parse(kubectl(['get', 'validatingwebhookconfiguration', 'kubeladder', '-o', 'json']));
    const caBundle = Buffer.from(vwc.webhooks[0].clientConfig.caBundle, 'base64').toString();
    expect(caBundle).toBe(readFileSync(join(dir, 'certs', 'ca.crt'), 'utf8'));
    for (const w of vwc.webhooks) {
      expect(w).toMatchObject({ sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Fail', matchPolicy: 'Equivalent', timeoutSeconds: 5 });
      expect(w.clientConfig.service).toMatchObject({ name: 'kubeladder-webhook', namespace: 'kubeladder-webhook' });
      expect(w.namespaceSelector.matchExpressions).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: expect.arrayContaining(['kube-system', 'kubeladder-webhook']) })]),
      );
    }
    const mwc = JSON.parse(kubectl(['get', 'mutatingwebhookconfiguration', 'kubeladder', '-o', 'json']));
    expect(mwc.webhooks.every((w: { reinvocationPolicy?: string }) => w.reinvocationPolicy === 'IfNeeded')).toBe(true);
    const ns = JSON.parse(kubectl(['get', 'namespace', 'kubeladder-webhook', '-o', 'json']));
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // The webhook's pods meet restricted: a pod from its template passes a server-side dry run there.
    const deploy = JSON.parse(kubectl(['get', 'deployment', 'kubeladder-webhook', '-n', 'kubeladder-webhook', '-o', 'json']));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: 'kubeladder-webhook' }, spec: deploy.spec.template.spec };
    const res = await cluster.request('POST', '/api/v1/namespaces/kubeladder-webhook/pods?dryRun=All', pod);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }, 120_000);
});
