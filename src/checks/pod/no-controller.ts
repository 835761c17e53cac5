import { defineCheck } from '../../core/check.js';
import { isTopLevel } from '../../engines/workloads/owners.js';

export default defineCheck({
  id: 'pod/no-controller',
  rung: 2,
  severity: 'low',
  title: 'Bare pod without a controller',
  rationale:
    'A Pod that no controller owns is not recreated when its node fails, is drained or is upgraded, and is not rolled out again when its spec should change: it simply disappears, or lingers unpatched. A Deployment, StatefulSet, DaemonSet or Job gives the same pod a controller that keeps it running.',
  remediation: 'Run the pod through a controller: a Deployment for a service, a StatefulSet for stateful replicas, a DaemonSet for one per node, a Job for a run to completion.',
  references: [
    { title: 'Kubernetes configuration best practices: naked pods', url: 'https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs' },
  ],
  needs: { kinds: ['Pod'] },
  kinds: ['Pod'],
  // A pod whose controller is in the inventory is judged through it, like every pod check.
  appliesTo: (r, ctx) => isTopLevel(r, ctx.inventory),
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
`,
    good: `apiVersion: v1
kind: Pod
metadata:
  name: web-7d9f-x2x4q
  namespace: shop
  labels: {app: web}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, uid: 3c1e5f0a-0000-4000-8000-000000000001, controller: true}
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
`,
  },
  evaluate: (r) => {
    const refs = r.obj.metadata?.ownerReferences;
    // Only a controlling owner recreates the pod; other owners (garbage collection) do not.
    if (Array.isArray(refs) && refs.some((o) => typeof o === 'object' && o !== null && (o as { controller?: unknown }).controller === true)) return [];
    const owned = Array.isArray(refs) && refs.length > 0;
    return [
      owned
        ? { path: 'metadata.ownerReferences', message: `Pod "${r.name}" has owners but no controlling one (controller: true): nothing recreates it when its node goes away` }
        : { message: `Pod "${r.name}" is a bare pod with no controller: nothing recreates it when its node fails or is drained` },
    ];
  },
});
