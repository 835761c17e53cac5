import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/core/inventory.js';
import { isSandboxHandler, sandboxRuntimeClasses, untrustedReason, untrustedWorkloads } from '../../src/engines/workloads/untrusted.js';
import { readManifests } from '../../src/sources/files.js';

async function inventoryOf(yaml: string): Promise<Inventory> {
  const read = await readManifests(['-'], { stdin: Readable.from([yaml]) });
  return read.inventory;
}

const POD = (name: string, ns: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}${extra}}
spec:
  containers: [{name: c, image: "x:1.0"}]
`;

describe('untrusted workloads', () => {
  it('reads the label on the namespace, the object, the pod template and a CronJob\'s job template', async () => {
    const inv = await inventoryOf(`apiVersion: v1
kind: Namespace
metadata: {name: tenants, labels: {kubeladder.io/untrusted: "true"}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubeladder.io/untrusted: "false"}}
---
${POD('in-ns', 'tenants')}---
${POD('labelled', 'shop', ', labels: {kubeladder.io/untrusted: "true"}')}---
${POD('trusted', 'shop')}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: by-template, namespace: shop}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x, kubeladder.io/untrusted: "TRUE"}}
    spec: {containers: [{name: c, image: "x:1.0"}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: by-job-template, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    metadata: {labels: {kubeladder.io/untrusted: "true"}}
    spec:
      template:
        spec: {restartPolicy: Never, containers: [{name: c, image: "x:1.0"}]}
`);
    const found = untrustedWorkloads(inv).map((u) => `${u.resource.display}: ${u.reason}`);
    expect(found.sort()).toEqual(
      [
        'Pod tenants/in-ns: its namespace "tenants" is labelled kubeladder.io/untrusted: "true"',
        'Pod shop/labelled: it is labelled kubeladder.io/untrusted: "true"',
        'Deployment shop/by-template: its pod template is labelled kubeladder.io/untrusted: "true"',
        'CronJob shop/by-job-template: its job template is labelled kubeladder.io/untrusted: "true"',
      ].sort(),
    );
    const trusted = inv.find('', 'Pod', 'shop', 'trusted')!;
    expect(untrustedReason(trusted, inv)).toBeUndefined();
  });

  it('judges a Deployment, not the Pods it controls', async () => {
    const inv = await inventoryOf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, labels: {kubeladder.io/untrusted: "true"}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, kubeladder.io/untrusted: "true"}}
    spec: {containers: [{name: c, image: "x:1.0"}]}
---
${POD('api-1', 'shop', ', labels: {kubeladder.io/untrusted: "true"}, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, controller: true}]')}`);
    expect(untrustedWorkloads(inv).map((u) => u.resource.display)).toEqual(['Deployment shop/api']);
  });

  it('a label on a Namespace the input lacks cannot be known', async () => {
    const inv = await inventoryOf(POD('p', 'elsewhere'));
    expect(untrustedWorkloads(inv)).toEqual([]);
  });
});

describe('sandbox handlers', () => {
  it.each(['runsc', 'runsc-kvm', 'gvisor', 'gvisor-systrap', 'kata', 'kata-qemu', 'kata-fc', 'kata-clh', 'Kata-Qemu'])('%s is a sandbox', (h) => {
    expect(isSandboxHandler(h)).toBe(true);
  });
  it.each(['runc', 'crun', 'nvidia', 'youki', '', undefined, 42, 'runscx', 'my-kata'])('%s is not', (h) => {
    expect(isSandboxHandler(h)).toBe(false);
  });

  it('finds RuntimeClasses of group node.k8s.io with a sandbox handler', async () => {
    const inv = await inventoryOf(`apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: nvidia}
handler: nvidia
---
apiVersion: example.com/v1
kind: RuntimeClass
metadata: {name: fake}
handler: kata
`);
    expect(sandboxRuntimeClasses(inv).map((r) => r.name)).toEqual(['gvisor']);
  });
});
