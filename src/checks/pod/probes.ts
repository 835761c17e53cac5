import { defineCheck, type CheckContext } from '../../core/check.js';
import type { Resource } from '../../core/resource.js';
import { containersOf, describeContainer, podSpecOf } from '../../engines/workloads/pod-specs.js';
import { isTopLevel } from '../../engines/workloads/owners.js';

/** Workloads meant to run until replaced; Jobs and CronJobs run to completion and are left out. */
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod'] as const;

function ownedByJob(r: Resource): boolean {
  const refs = r.obj.metadata?.ownerReferences;
  return Array.isArray(refs) && refs.some((o) => typeof o === 'object' && o !== null && (o as { kind?: unknown }).kind === 'Job');
}

function appliesTo(r: Resource, ctx: CheckContext): boolean {
  if (!isTopLevel(r, ctx.inventory)) return false;
  if (r.kind !== 'Pod') return true;
  if (ownedByJob(r)) return false;
  // A bare pod with restartPolicy Never or OnFailure runs to completion like a Job's; the
  // controllers above only accept Always.
  const policy = podSpecOf(r)?.spec.restartPolicy;
  return policy === undefined || policy === 'Always';
}

export default defineCheck({
  id: 'pod/probes',
  rung: 2,
  severity: 'low',
  title: 'Long-running container without readiness and liveness probes',
  rationale:
    'Without a readinessProbe, a pod gets traffic as soon as its process starts, and keeps getting it while it cannot answer; without a livenessProbe, a hung process is never restarted. Both turn small faults into outages and hide them from rollouts, which cannot tell a broken version from a working one.',
  remediation: 'Give every long-running container a `readinessProbe` (is it ready for traffic?) and a `livenessProbe` (is it stuck and in need of a restart?), on endpoints that check what the program needs.',
  references: [
    { title: 'Kubernetes: configure liveness, readiness and startup probes', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/' },
    { title: 'Polaris: reliability checks (readinessProbeMissing, livenessProbeMissing)', url: 'https://polaris.docs.fairwinds.com/checks/reliability/' },
  ],
  needs: { kinds: LONG_RUNNING },
  kinds: LONG_RUNNING,
  appliesTo,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports: [{name: http, containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /readyz, port: http}
          livenessProbe:
            httpGet: {path: /livez, port: http}
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    // Regular containers only: init containers finish before the pod serves, ephemeral ones are
    // for debugging, and native sidecars (init containers with restartPolicy: Always) are left
    // to their own images' conventions.
    return containersOf(pod)
      .filter((c) => c.list === 'containers')
      .flatMap((c) => {
        const missing = (['readinessProbe', 'livenessProbe'] as const).filter((p) => typeof c.container[p] !== 'object' || c.container[p] === null);
        if (missing.length === 0) return [];
        return [{ path: c.path, message: `${describeContainer(c)} has no ${missing.join(' and no ')}` }];
      });
  },
});
