/** The Pod Security checks: where findings point, and what the namespace checks tell the operator. */
import { describe, expect, it } from 'vitest';
import namespacePodSecurityLabels from '../../src/checks/namespace/pod-security-labels.js';
import namespacePodSecurityVersion from '../../src/checks/namespace/pod-security-version.js';
import podApparmor from '../../src/checks/pod/apparmor.js';
import podHostNamespaces from '../../src/checks/pod/host-namespaces.js';
import podRunAsNonRoot from '../../src/checks/pod/run-as-non-root.js';
import { failuresOf, runCheck } from '../helpers/check-tester.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: agent, namespace: ops}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata:
      labels: {app: agent}
      annotations:
        container.apparmor.security.beta.kubernetes.io/agent: unconfined
    spec:
      hostPID: true
      containers:
        - {name: agent, image: "registry.example.com/agent:1.0.0"}
`;

describe('PSS control checks', () => {
  it('point at the offending field of the pod template, with its line', async () => {
    const [f] = await failuresOf(podHostNamespaces, DEPLOYMENT);
    expect(f).toMatchObject({ path: 'spec.template.spec.hostPID', line: 12, message: 'violates Pod Security Standards baseline: host namespaces (hostPID=true)' });
  });

  it('point at annotations when the deprecated AppArmor annotation is the problem', async () => {
    const [f] = await failuresOf(podApparmor, DEPLOYMENT);
    expect(f?.path).toBe('spec.template.metadata.annotations');
    expect(f?.message).toContain('container.apparmor.security.beta.kubernetes.io/agent="unconfined"');
  });

  it('run-as-non-root reports the PSS verdict and the missing ids beyond it', async () => {
    const fails = await failuresOf(podRunAsNonRoot, DEPLOYMENT);
    expect(fails.map((f) => f.message)).toEqual([
      'violates Pod Security Standards restricted: runAsNonRoot != true (pod or container "agent" must set securityContext.runAsNonRoot=true)',
      'container "agent" sets no runAsUser, so the image decides (often root)',
      'container "agent" sets no runAsGroup, so the image decides (often root)',
    ]);
  });
});

describe('namespace/pod-security-labels', () => {
  it('says which level the workloads already pass and what holds them back', async () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
${DEPLOYMENT}`;
    const [f] = await failuresOf(namespacePodSecurityLabels, yaml);
    expect(f?.message).toBe(
      'namespace "ops" has no pod-security.kubernetes.io/enforce label, so any pod is admitted; its 1 workload already passes privileged (Deployment/agent keeps it below baseline)',
    );
    expect(f?.remediation).toContain('Fix or move the workloads');
  });

  it('proposes the label a clean namespace can take', async () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: web
  labels: {pod-security.kubernetes.io/audit: baseline}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: web}
spec:
  containers:
    - {name: app, image: "registry.example.com/app:1.0.0"}
`;
    const [f] = await failuresOf(namespacePodSecurityLabels, yaml);
    expect(f?.message).toBe(
      'namespace "web" has only audit=baseline, which reports but blocks nothing: no pod-security.kubernetes.io/enforce label, so any pod is admitted; its 1 workload already passes baseline (Pod/p keeps it below restricted)',
    );
    expect(f?.remediation).toBe(
      '`kubectl label namespace web pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/audit=restricted`',
    );
    expect(f).toMatchObject({ path: 'metadata.labels', line: 5 });
  });

  it('exempts the system namespaces by default, visibly', async () => {
    const results = await runCheck(namespacePodSecurityLabels, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n');
    expect(results.map((r) => r.status)).toEqual(['exempt']);
  });
});

describe('namespace/pod-security-version', () => {
  it('names the policy changes a far-behind pin misses', async () => {
    const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.30
`;
    const [f] = await failuresOf(namespacePodSecurityVersion, yaml, { kubernetesVersion: 'v1.37.2' });
    expect(f?.message).toBe(
      'namespace "shop" enforces baseline at v1.30, 7 minor releases behind the cluster\'s v1.37.2; it misses seLinuxOptions (1.31), sysctls (1.32), hostProbesAndHostLifecycle (1.34), procMount (1.35), sysctls (1.37)',
    );
  });
});
