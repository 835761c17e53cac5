/**
 * `kubeladder webhook serve` behind a real API server: the server runs in-process on
 * 127.0.0.1 with a throwaway openssl CA, registered by URL in a Validating and a Mutating
 * WebhookConfiguration (kube-system excluded), and the API server's own requests are judged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type WebhookServer } from '../../src/webhook/server.js';
import { eventually, startCluster, type Cluster } from '../helpers/cluster.js';
import { policy } from '../webhook/fixtures.js';
import { makeCa, makeServing } from '../webhook/pki.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
let cluster: Cluster;
let srv: WebhookServer;
const dir = mkdtempSync(join(tmpdir(), 'kl-webhook-e2e-'));
const logs: string[] = [];

const privilegedPod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: { containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.0', securityContext: { privileged: true } }] },
});
const plainPod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.0' }] } });

function webhookConfig(kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration', url: string, caBundle: string): any {
  const mutating = kind === 'MutatingWebhookConfiguration';
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name: `kubeladder-${mutating ? 'mutate' : 'validate'}` },
    webhooks: [
      {
        name: `${mutating ? 'mutate' : 'validate'}.kubeladder.io`,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Fail',
        timeoutSeconds: 5,
        clientConfig: { url, caBundle },
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
        ...(mutating ? { reinvocationPolicy: 'IfNeeded' } : {}),
        rules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'podtemplates'] },
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
          { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'] },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  const ca = makeCa(dir);
  const pair = makeServing(ca, '01');
  writeFileSync(join(dir, 'tls.crt'), pair.cert);
  writeFileSync(join(dir, 'tls.key'), pair.key);
  [cluster, srv] = await Promise.all([
    startCluster(),
    startServer({
      policy: policy('rules:\n  - check: pod/privileged\nmutations: [seccompRuntimeDefault]\n'),
      certFile: join(dir, 'tls.crt'),
      keyFile: join(dir, 'tls.key'),
      port: 0,
      address: '127.0.0.1',
      log: (l) => logs.push(l),
    }),
  ]);
  const caBundle = Buffer.from(ca.pem).toString('base64');
  const base = `https://127.0.0.1:${srv.port}`;
  expect((await cluster.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })).status).toBe(201);
  expect((await cluster.request('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', webhookConfig('ValidatingWebhookConfiguration', `${base}/validate`, caBundle))).status).toBe(201);
  expect((await cluster.request('POST', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', webhookConfig('MutatingWebhookConfiguration', `${base}/mutate`, caBundle))).status).toBe(201);
  // The namespace's default ServiceAccount (pods need it), and the webhooks in force.
  await eventually('the default ServiceAccount in shop', async () => ((await cluster.request('GET', '/api/v1/namespaces/shop/serviceaccounts/default')).status === 200 ? true : undefined));
  await eventually('the webhook to deny a privileged pod', async () => {
    const r = await cluster.request('POST', '/api/v1/namespaces/shop/pods?dryRun=All', privilegedPod('probe'));
    return r.status === 403 ? true : undefined;
  });
}, 120_000);

afterAll(async () => {
  await srv?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeladder webhook behind a real API server', () => {
  it('denies a privileged pod, naming pod/privileged', async () => {
    const r = await cluster.request('POST', '/api/v1/namespaces/shop/pods', privilegedPod('priv'));
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/admission webhook "validate\.kubeladder\.io" denied the request: kubeladder denied Pod shop\/priv: pod\/privileged: container "api" runs privileged/);
    expect((await cluster.request('GET', '/api/v1/namespaces/shop/pods/priv')).status).toBe(404);
  });

  it('admits a plain pod, stored with the mutation', async () => {
    const r = await cluster.request('POST', '/api/v1/namespaces/shop/pods', plainPod('plain'));
    expect(r.status).toBe(201);
    const stored = await cluster.request('GET', '/api/v1/namespaces/shop/pods/plain');
    expect(stored.body.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  it('denies a Deployment with a privileged template at apply time', async () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: privilegedPod('x').spec } },
    };
    const r = await cluster.request('PATCH', '/apis/apps/v1/namespaces/shop/deployments/api?fieldManager=kubectl&force=true', d, { contentType: 'application/apply-patch+yaml' });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('kubeladder denied Deployment shop/api: pod/privileged: container "api" runs privileged');
  });

  it('judges dry-run requests, and stores nothing', async () => {
    const denied = await cluster.request('POST', '/api/v1/namespaces/shop/pods?dryRun=All', privilegedPod('dry-priv'));
    expect(denied.status).toBe(403);
    const admitted = await cluster.request('POST', '/api/v1/namespaces/shop/pods?dryRun=All', plainPod('dry-plain'));
    expect(admitted.status).toBe(201);
    expect(admitted.body.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect((await cluster.request('GET', '/api/v1/namespaces/shop/pods/dry-plain')).status).toBe(404);
    expect(logs.map((l) => JSON.parse(l)).some((e) => e.name === 'dry-plain' && e.dryRun === true)).toBe(true);
  });

  it('leaves kube-system alone', async () => {
    const p = { ...privilegedPod('system-priv'), metadata: { name: 'system-priv', namespace: 'kube-system' } };
    await eventually('the default ServiceAccount in kube-system', async () => ((await cluster.request('GET', '/api/v1/namespaces/kube-system/serviceaccounts/default')).status === 200 ? true : undefined));
    expect((await cluster.request('POST', '/api/v1/namespaces/kube-system/pods?dryRun=All', p)).status).toBe(201);
  });
});
