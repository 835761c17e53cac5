/** pod/untrusted-without-sandbox and cluster/sandbox-runtime-class. */
import { describe, expect, it } from 'vitest';
import clusterCheck from '../../src/checks/cluster/sandbox-runtime-class.js';
import podCheck from '../../src/checks/pod/untrusted-without-sandbox.js';
import { failuresOf, runCheck } from '../helpers/check-tester.js';

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: tenants
  labels: {kubeladder.io/untrusted: "true"}
`;

const job = (name: string, runtimeClass?: string): string => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: tenants}
spec:
  template:
    spec:
      restartPolicy: Never${runtimeClass ? `\n      runtimeClassName: ${runtimeClass}` : ''}
      containers: [{name: c, image: "registry.example.com/x:1.0.0"}]
`;

const rc = (name: string, handler: string): string => `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: ${name}}
handler: ${handler}
`;

const docs = (...d: string[]): string => d.join('---\n');

describe('pod/untrusted-without-sandbox', () => {
  it('judges only untrusted workloads', async () => {
    const results = await runCheck(podCheck, docs(job('trusted'), NS.replace('tenants', 'other'), job('also-trusted')));
    expect(results).toEqual([]);
  });

  it('fails no class, a missing class and a non-sandbox handler; passes runsc and kata', async () => {
    const yaml = docs(NS, rc('gvisor', 'runsc'), rc('kata', 'kata-fc'), rc('gpu', 'nvidia'), job('none'), job('missing', 'firecracker'), job('gpu', 'gpu'), job('gvisor', 'gvisor'), job('kata', 'kata'));
    const results = await runCheck(podCheck, yaml);
    expect(results.map((r) => `${r.object!.name} ${r.status}`)).toEqual(['none fail', 'missing fail', 'gpu fail', 'gvisor pass', 'kata pass']);
    const [none, missing, gpu] = results;
    expect(none!.path).toBe('spec.template.spec.runtimeClassName');
    expect(none!.message).toBe('untrusted workload (its namespace "tenants" is labelled kubeladder.io/untrusted: "true") sets no runtimeClassName, so its containers share the node\'s kernel under the default runtime');
    expect(missing!.message).toContain('names runtimeClassName "firecracker", a RuntimeClass the input does not define');
    expect(missing!.message).toContain('admission plugin rejects');
    expect(gpu!.message).toContain('runs under RuntimeClass "gpu", whose handler "nvidia" is not a sandbox');
  });
});

describe('cluster/sandbox-runtime-class', () => {
  it('passes every namespace without untrusted workloads', async () => {
    const results = await runCheck(clusterCheck, job('a'));
    expect(results.map((r) => `${r.status} ${r.object?.kind}/${r.object?.name}`)).toEqual(['pass Namespace/tenants']);
  });

  it("fails the untrusted workloads' namespace, counting them, and passes the others", async () => {
    const other = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n';
    const results = await runCheck(clusterCheck, docs(NS, other, rc('gpu', 'nvidia'), job('a'), job('b', 'gpu'), job('c'), job('d'), job('e')));
    expect(results.map((r) => `${r.status} ${r.object?.kind}/${r.object?.name}`)).toEqual(['fail Namespace/tenants', 'pass Namespace/web']);
    const f = results[0]!;
    expect(f.line).toBe(1);
    expect(f.message).toBe(
      '5 untrusted workloads need a sandbox (Job tenants/a, Job tenants/b, Job tenants/c, and 2 more), but no RuntimeClass in the input has a sandbox handler (gVisor runsc or Kata Containers): its RuntimeClasses are "gpu" (handler "nvidia")',
    );
  });

  it('names the namespace even when the input lacks its Namespace object', async () => {
    const f = await failuresOf(clusterCheck, job('a').replace('metadata: {name: a, namespace: tenants}', 'metadata: {name: a, namespace: lab, labels: {kubeladder.io/untrusted: "true"}}'));
    expect(f.map((r) => r.object)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', name: 'lab' }]);
  });

  it('passes once any sandbox RuntimeClass exists', async () => {
    const results = await runCheck(clusterCheck, docs(NS, rc('gpu', 'nvidia'), rc('kata', 'kata-qemu'), job('a')));
    expect(results.map((r) => `${r.status} ${r.object?.kind}/${r.object?.name}`)).toEqual(['pass Namespace/tenants']);
  });
});
