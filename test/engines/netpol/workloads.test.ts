import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/core/resource.js';
import { modelFromResources } from '../../../src/engines/netpol/model.js';
import { namespacesFromResources, podsFromResources } from '../../../src/engines/netpol/workloads.js';
import { readManifests } from '../../../src/sources/files.js';

async function resources(yaml: string): Promise<Resource[]> {
  const read = await readManifests(['-'], { stdin: Readable.from([yaml]) });
  return [...read.inventory.resources];
}

const STACK = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {tier: front}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: x
        ports: [{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]
      initContainers:
      - {name: proxy, image: x, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}
      - {name: migrate, image: x, ports: [{name: ignored, containerPort: 1}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-5d8f
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, controller: true}]
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: api-5d8f-x2x
  namespace: shop
  labels: {app: api}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-5d8f, controller: true}]
spec: {containers: [{name: api, image: x}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan
  namespace: shop
  labels: {app: orphan}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: elsewhere, controller: true}]
spec: {hostNetwork: true, containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.5, podIPs: [{ip: 10.0.0.5}, {ip: "fd00::5"}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ops}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {job: nightly}}
        spec: {containers: [{name: c, image: x}], restartPolicy: Never}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-1
  namespace: ops
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: nightly, controller: true}]
spec:
  template:
    metadata: {labels: {job: nightly}}
    spec: {containers: [{name: c, image: x}], restartPolicy: Never}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tmpl, namespace: ops}
template:
  metadata: {labels: {a: b}}
  spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: shop}
spec: {podSelector: {}, ingress: [{from: [{}]}]}
`;

describe('endpoints from manifests', () => {
  it('reads workloads by their template, once each, skipping what a listed controller owns', async () => {
    const pods = podsFromResources(await resources(STACK));
    expect(pods.map((p) => `${p.namespace}/${p.name}[${p.kind}]`).sort()).toEqual(['ops/nightly[CronJob]', 'shop/api[Deployment]', 'shop/orphan[Pod]']);
    const api = pods.find((p) => p.name === 'api')!;
    expect(api.labels).toEqual({ app: 'api' });
    expect(api.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'proxy', containerPort: 15001, protocol: 'TCP' },
    ]);
    expect(api.hostNetwork).toBe(false);
    const orphan = pods.find((p) => p.name === 'orphan')!;
    expect(orphan).toMatchObject({ hostNetwork: true, ips: ['10.0.0.5', 'fd00::5'], labels: { app: 'orphan' } });
  });

  it('gives namespaces their name label', async () => {
    expect(namespacesFromResources(await resources(STACK))).toEqual([{ name: 'shop', labels: { tier: 'front', 'kubernetes.io/metadata.name': 'shop' } }]);
  });

  it('builds a model: valid policies, invalid ones with reasons, namespaces named by pods', async () => {
    const m = modelFromResources(await resources(STACK));
    expect(m.policies.map((p) => p.id)).toEqual(['shop/deny']);
    expect(m.invalid.map((p) => `${p.namespace}/${p.name}: ${p.reason}`)).toEqual(['shop/broken: spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)']);
    expect(m.namespaces.get('ops')).toEqual({ 'kubernetes.io/metadata.name': 'ops' });
    expect(m.options.ipBlocksMatchPodIPs).toBe(false);
  });
});
