/** What the fixtures cannot say: messages, paths and lines of the workload-hardening checks. */
import { describe, expect, it } from 'vitest';
import podDefaultServiceAccount from '../../src/checks/pod/default-service-account.js';
import podDeprecatedServiceAccountField from '../../src/checks/pod/deprecated-service-account-field.js';
import podHostAliases from '../../src/checks/pod/host-aliases.js';
import podNoController from '../../src/checks/pod/no-controller.js';
import podProbes from '../../src/checks/pod/probes.js';
import podReadonlyRootFilesystem from '../../src/checks/pod/readonly-root-filesystem.js';
import podResources from '../../src/checks/pod/resources.js';
import serviceaccountAutomountToken from '../../src/checks/serviceaccount/automount-token.js';
import workloadPodDisruptionBudget from '../../src/checks/workload/pod-disruption-budget.js';
import { Inventory } from '../../src/core/inventory.js';
import { Resource, type KubeObject } from '../../src/core/resource.js';
import { runChecks } from '../../src/core/runner.js';
import { failuresOf } from '../helpers/check-tester.js';

const found = (rs: Array<{ path?: string; line?: number; message: string }>) => rs.map(({ path, line, message }) => ({ path, line, message }));

describe('pod/readonly-root-filesystem', () => {
  it('points at the field, the securityContext or the container, whichever exists', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: a
      image: x:1
      securityContext:
        readOnlyRootFilesystem: false
    - name: b
      image: x:1
      securityContext: {runAsNonRoot: true}
    - name: c
      image: x:1
`;
    expect(found(await failuresOf(podReadonlyRootFilesystem, yaml))).toEqual([
      { path: 'spec.containers[0].securityContext.readOnlyRootFilesystem', line: 9, message: 'container "a" sets readOnlyRootFilesystem: false, so its root filesystem is writable' },
      { path: 'spec.containers[1].securityContext', line: 12, message: 'container "b" does not set readOnlyRootFilesystem: true, so its root filesystem is writable' },
      { path: 'spec.containers[2]', line: 13, message: 'container "c" does not set readOnlyRootFilesystem: true, so its root filesystem is writable' },
    ]);
  });
});

describe('pod/resources', () => {
  it('lists what each container misses; a request defaults to its limit', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  initContainers:
    - name: init
      image: x:1
  containers:
    - name: web
      image: x:1
      resources:
        requests: {cpu: 100m}
        limits: {memory: 128Mi}
    - name: ok
      image: x:1
      resources:
        limits: {cpu: 100m, memory: 128Mi}
  ephemeralContainers:
    - {name: debug, image: "x:1"}
`;
    const fails = await failuresOf(podResources, yaml);
    expect(found(fails)).toEqual([
      {
        path: 'spec.initContainers[0].resources',
        line: 6,
        message: 'init container "init" does not set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory',
      },
      // requests.memory is defaulted from limits.memory; requests.cpu is set.
      { path: 'spec.containers[0].resources', line: 11, message: 'container "web" does not set resources.limits.cpu' },
    ]);
    expect(fails[1]!.remediation).toBe('Set `resources.limits.cpu` on container "web".');
  });
});

describe('service accounts', () => {
  it('serviceaccount/automount-token names the account', async () => {
    const yaml = `apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: true
`;
    expect(found(await failuresOf(serviceaccountAutomountToken, yaml))).toEqual([
      { path: 'automountServiceAccountToken', line: 4, message: 'ServiceAccount "api" sets automountServiceAccountToken: true, so every pod using it gets its token unless the pod opts out' },
    ]);
  });

  it('pod/default-service-account points at the field that names default, or the pod spec', async () => {
    const named = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec:
  serviceAccountName: default
  containers: [{name: a, image: "x:1"}]
`;
    expect(found(await failuresOf(podDefaultServiceAccount, named))).toEqual([
      { path: 'spec.serviceAccountName', line: 5, message: 'runs as the namespace\'s "default" service account (serviceAccountName: default)' },
    ]);
    const unnamed = named.replace('  serviceAccountName: default\n', '');
    expect(found(await failuresOf(podDefaultServiceAccount, unnamed))).toEqual([
      { path: 'spec.serviceAccountName', line: 4, message: 'runs as the namespace\'s "default" service account: the pod spec names no serviceAccountName' },
    ]);
  });

  it('pod/deprecated-service-account-field says which account Kubernetes uses', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec:
  serviceAccountName: api
  serviceAccount: admin
  containers: [{name: a, image: "x:1"}]
`;
    const fails = await failuresOf(podDeprecatedServiceAccountField, yaml);
    expect(found(fails)).toEqual([
      { path: 'spec.serviceAccount', line: 6, message: 'sets the deprecated serviceAccount: admin, which Kubernetes ignores: the pod runs as serviceAccountName: api' },
    ]);
    expect(fails[0]!.remediation).toContain('serviceAccountName, which Kubernetes uses');
  });

  it('pod/deprecated-service-account-field ignores the copy the API server echoes in a cluster scan', () => {
    const pod = (name: string, spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop' },
      spec: { ...spec, containers: [{ name: 'a', image: 'x:1' }] },
    });
    const inv = new Inventory(['cluster']);
    inv.add(new Resource(pod('echoed', { serviceAccountName: 'api', serviceAccount: 'api' }), { basePath: [] }, 'shop'));
    inv.add(new Resource(pod('differs', { serviceAccountName: 'api', serviceAccount: 'admin' }), { basePath: [] }, 'shop'));
    const { results } = runChecks([podDeprecatedServiceAccountField], inv, { today: '2025-01-01' });
    expect(results.map((r) => `${r.object?.name} ${r.status}`)).toEqual(['echoed pass', 'differs fail']);
  });
});

describe('pod/host-aliases', () => {
  it('lists the names it overrides', async () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec:
  hostAliases:
    - {ip: 203.0.113.10, hostnames: [a.example.net, b.example.net]}
    - {ip: 10.0.0.1, hostnames: [db]}
  containers: [{name: a, image: "x:1"}]
`;
    expect(found(await failuresOf(podHostAliases, yaml))).toEqual([
      { path: 'spec.hostAliases', line: 5, message: 'overrides DNS in the pod with hostAliases: a.example.net, b.example.net -> 203.0.113.10; db -> 10.0.0.1' },
    ]);
  });
});

describe('pod/no-controller', () => {
  it('points at the pod itself', async () => {
    const yaml = `# a comment
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers: [{name: a, image: "x:1"}]
`;
    expect(found(await failuresOf(podNoController, yaml))).toEqual([
      { path: undefined, line: 2, message: 'Pod "debug" is a bare pod with no controller: nothing recreates it when its node fails or is drained' },
    ]);
  });
});

describe('pod/probes', () => {
  it('names the probes each regular container lacks', async () => {
    const yaml = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: x:1
          livenessProbe: {tcpSocket: {port: 9100}}
        - name: sidecar
          image: x:1
`;
    expect(found(await failuresOf(podProbes, yaml))).toEqual([
      { path: 'spec.template.spec.containers[0]', line: 10, message: 'container "agent" has no readinessProbe' },
      { path: 'spec.template.spec.containers[1]', line: 13, message: 'container "sidecar" has no readinessProbe and no livenessProbe' },
    ]);
  });
});

describe('workload/pod-disruption-budget', () => {
  it('says how many replicas run unprotected, and with which labels', async () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
    spec:
      containers: [{name: web, image: "x:1"}]
`;
    expect(found(await failuresOf(workloadPodDisruptionBudget, yaml))).toEqual([
      { path: 'spec.replicas', line: 5, message: 'runs 3 replicas but no PodDisruptionBudget in namespace "shop" selects its pods (labels app=web, tier=frontend)' },
    ]);
  });
});
