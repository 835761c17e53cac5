import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, podSpecOf } from '../../engines/workloads/pod-specs.js';

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export default defineCheck({
  id: 'pod/default-service-account',
  rung: 2,
  severity: 'medium',
  title: 'Pod runs as the default service account',
  rationale:
    'Every pod that names no service account runs as its namespace\'s `default` one, so unrelated workloads share one identity: a permission granted to `default` for one of them reaches all, and audit logs cannot tell them apart. A dedicated account per workload keeps permissions and tokens scoped to it.',
  remediation:
    'Create a ServiceAccount for the workload (with `automountServiceAccountToken: false` unless it calls the API) and set `serviceAccountName` to it in the pod spec.',
  references: [
    { title: 'CIS Kubernetes Benchmark 5.1.5: default service accounts are not actively used', cis: '5.1.5' },
    { title: 'Kubernetes: configure service accounts for pods', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: worker
          image: registry.example.com/worker:2.1.0
`,
    good: `apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      serviceAccountName: worker
      containers:
        - name: worker
          image: registry.example.com/worker:2.1.0
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    // Kubernetes uses serviceAccountName; the deprecated serviceAccount only when the former is
    // empty; and `default` when both are.
    const name = nonEmpty(pod.spec.serviceAccountName);
    const deprecated = nonEmpty(pod.spec.serviceAccount);
    if (name !== undefined) {
      return name === 'default'
        ? [{ path: joinPath(pod.path, 'serviceAccountName'), message: 'runs as the namespace\'s "default" service account (serviceAccountName: default)' }]
        : [];
    }
    if (deprecated !== undefined) {
      return deprecated === 'default'
        ? [{ path: joinPath(pod.path, 'serviceAccount'), message: 'runs as the namespace\'s "default" service account (serviceAccount: default)' }]
        : [];
    }
    // The field's path even when absent: the API server fills it in with "default" on live pods.
    return [{ path: joinPath(pod.path, 'serviceAccountName'), message: 'runs as the namespace\'s "default" service account: the pod spec names no serviceAccountName' }];
  },
});
