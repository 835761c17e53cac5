import { describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/core/results.js';
import { cli } from '../helpers/cli.js';

const TEMPLATE = `
    metadata: {labels: {app: api}}
    spec:
      automountServiceAccountToken: false
      containers: [{name: api, image: "x:1.0", securityContext: {privileged: true}}]`;

const STACK = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, uid: d1}
spec:
  selector: {matchLabels: {app: api}}
  template:${TEMPLATE}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-5d8f
  namespace: shop
  uid: r1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: d1, controller: true}]
spec:
  selector: {matchLabels: {app: api}}
  template:${TEMPLATE}
---
apiVersion: v1
kind: Pod
metadata:
  name: api-5d8f-x2x
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-5d8f, uid: r1, controller: true}]
spec:
  automountServiceAccountToken: false
  containers: [{name: api, image: "x:1.0", securityContext: {privileged: true}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan-of-absent-rs
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: elsewhere, uid: r9, controller: true}]
spec:
  automountServiceAccountToken: false
  containers: [{name: api, image: "x:1.0", securityContext: {privileged: true}}]
`;

describe('controlled workloads', () => {
  it('judges a pod template once, on the top-level owner in the input', async () => {
    const r = await cli(['scan', '-', '--format', 'json', '--check', 'pod/privileged', '--show-passed'], { stdin: STACK });
    const doc = JSON.parse(r.stdout) as ResultsDocument;
    expect(doc.results.map((x) => `${x.status} ${x.object?.kind}/${x.object?.name}`)).toEqual(['fail Deployment/api', 'fail Pod/orphan-of-absent-rs']);
  });
});
