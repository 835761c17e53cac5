import { describe, expect, it } from 'vitest';
import deprecated from '../../src/checks/api/deprecated-version.js';
import removed from '../../src/checks/api/removed-version.js';
import { Inventory } from '../../src/core/inventory.js';
import { Resource, type KubeObject } from '../../src/core/resource.js';
import { runChecks } from '../../src/core/runner.js';

/** A CronJob as a live server returns it: in batch/v1, whatever it was written in. */
const live: KubeObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {
    name: 'report',
    namespace: 'shop',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"batch/v1beta1","kind":"CronJob"}' },
    managedFields: [
      { manager: 'helm', apiVersion: 'batch/v1beta1', operation: 'Update' },
      { manager: 'kube-controller-manager', apiVersion: 'batch/v1', operation: 'Update' },
    ],
  },
  spec: {},
};

function scan(kubernetesVersion: string, targetVersion?: string): string[] {
  const inv = new Inventory(['cluster']);
  inv.kubernetesVersion = kubernetesVersion;
  if (targetVersion) inv.targetVersion = targetVersion;
  inv.add(new Resource(live, { basePath: [] }, 'shop'));
  return runChecks([removed, deprecated], inv, { today: '2026-11-27' })
    .results.filter((r) => r.status === 'fail')
    .map((r) => `${r.check} ${r.path}: ${r.message}`);
}

describe('API versions of live objects', () => {
  it('reads the versions writers used from managedFields and last-applied, not the served version', () => {
    expect(scan('v1.24.17')).toEqual([
      'api/deprecated-version metadata.managedFields[0].apiVersion: CronJob uses batch/v1beta1, deprecated since Kubernetes 1.21 and removed in 1.25 (judged against the cluster\'s v1.24.17)',
      'api/deprecated-version metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]: CronJob uses batch/v1beta1, deprecated since Kubernetes 1.21 and removed in 1.25 (judged against the cluster\'s v1.24.17)',
    ]);
  });

  it('turns them into removals when the upgrade target no longer serves them', () => {
    expect(scan('v1.24.17', 'v1.25')).toEqual([
      'api/removed-version metadata.managedFields[0].apiVersion: CronJob was last written as batch/v1beta1 by helm, which Kubernetes 1.25 stopped serving (judged against the upgrade target v1.25)',
      'api/removed-version metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]: CronJob was last written as batch/v1beta1 by kubectl apply, which Kubernetes 1.25 stopped serving (judged against the upgrade target v1.25)',
    ]);
  });
});
