import { describe, expect, it } from 'vitest';
import { applyPatch, mutations, pointer } from '../../src/webhook/mutate.js';
import { MUTATIONS } from '../../src/webhook/policy.js';
import { cronJob, deployment, plainSpec, pod } from './fixtures.js';

const ALL = [...MUTATIONS];

describe('webhook mutations', () => {
  it('hardens a plain pod, and the patched pod needs nothing more', () => {
    const obj = pod('web', { ...plainSpec(), initContainers: [{ name: 'init', image: 'x' }] });
    const ops = mutations(obj, ALL);
    expect(ops).toEqual([
      { op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } },
      { op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true },
      { op: 'add', path: '/spec/automountServiceAccountToken', value: false },
      { op: 'add', path: '/spec/initContainers/0/securityContext', value: { allowPrivilegeEscalation: false } },
      { op: 'add', path: '/spec/initContainers/0/securityContext/capabilities', value: { drop: ['ALL'] } },
      { op: 'add', path: '/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false } },
      { op: 'add', path: '/spec/containers/0/securityContext/capabilities', value: { drop: ['ALL'] } },
    ]);
    const patched = applyPatch(obj, ops) as { spec: Record<string, unknown> };
    expect(patched.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true });
    expect(patched.spec.automountServiceAccountToken).toBe(false);
    expect((patched.spec.containers as Array<{ securityContext: unknown }>)[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(mutations(patched, ALL)).toEqual([]); // idempotent
    expect(obj.spec).toEqual({ ...plainSpec(), initContainers: [{ name: 'init', image: 'x' }] }); // input untouched
  });

  it('never overrides an explicit value, even a weaker one', () => {
    const obj = pod('web', {
      automountServiceAccountToken: true,
      securityContext: { seccompProfile: { type: 'Unconfined' }, runAsNonRoot: false },
      containers: [{ name: 'a', image: 'x', securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['NET_RAW'] } } }],
    });
    expect(mutations(obj, ALL)).toEqual([]);
  });

  it('adds beside existing fields without replacing them', () => {
    const obj = pod('web', { securityContext: { fsGroup: 2000 }, containers: [{ name: 'a', image: 'x', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }] });
    const patched = applyPatch(obj, mutations(obj, ['seccompRuntimeDefault', 'dropAllCapabilities'])) as { spec: { securityContext: unknown; containers: Array<{ securityContext: unknown }> } };
    expect(patched.spec.securityContext).toEqual({ fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(patched.spec.containers[0]!.securityContext).toEqual({ capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
  });

  it('skips what the API server would reject or what would stop the pod', () => {
    const priv = pod('web', { securityContext: { runAsUser: 0 }, containers: [{ name: 'a', image: 'x', securityContext: { privileged: true } }, { name: 'b', image: 'x', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] });
    const ops = mutations(priv, ['noPrivilegeEscalation', 'runAsNonRoot']);
    expect(ops).toEqual([]);
    const win = pod('web', { os: { name: 'windows' }, containers: [{ name: 'a', image: 'x' }] });
    expect(mutations(win, ['seccompRuntimeDefault', 'noPrivilegeEscalation', 'dropAllCapabilities'])).toEqual([]);
  });

  it('uses each pod-template kind\'s paths', () => {
    const d = deployment('api', plainSpec());
    expect(mutations(d, ['seccompRuntimeDefault', 'noPrivilegeEscalation']).map((o) => o.path)).toEqual(['/spec/template/spec/securityContext', '/spec/template/spec/containers/0/securityContext']);
    const cj = cronJob('nightly', plainSpec());
    const ops = mutations(cj, ALL);
    expect(ops.map((o) => o.path)).toEqual([
      '/spec/jobTemplate/spec/template/spec/securityContext',
      '/spec/jobTemplate/spec/template/spec/securityContext/runAsNonRoot',
      '/spec/jobTemplate/spec/template/spec/automountServiceAccountToken',
      '/spec/jobTemplate/spec/template/spec/containers/0/securityContext',
      '/spec/jobTemplate/spec/template/spec/containers/0/securityContext/capabilities',
    ]);
    const patched = applyPatch(cj, ops) as { spec: { jobTemplate: { spec: { template: { spec: { securityContext: unknown } } } } } };
    expect(patched.spec.jobTemplate.spec.template.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true });
    expect(mutations(patched, ALL)).toEqual([]);
    const pt = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: { spec: plainSpec() } };
    expect(mutations(pt, ['noServiceAccountToken'])).toEqual([{ op: 'add', path: '/template/spec/automountServiceAccountToken', value: false }]);
  });

  it('leaves other kinds and spec-less objects alone', () => {
    expect(mutations({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, ALL)).toEqual([]);
    expect(mutations({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'c' }, spec: {} }, ALL)).toEqual([]);
    expect(mutations(pod('p', plainSpec()), [])).toEqual([]);
  });

  it('escapes ~ and / in pointers (RFC 6901) and the applier reads them back', () => {
    expect(pointer(['metadata', 'annotations', 'a/b~c'])).toBe('/metadata/annotations/a~1b~0c');
    const doc = applyPatch({ metadata: { annotations: {} } }, [{ op: 'add', path: pointer(['metadata', 'annotations', 'kubeladder.io/x~y']), value: 'v' }]);
    expect(doc).toEqual({ metadata: { annotations: { 'kubeladder.io/x~y': 'v' } } });
  });
});
