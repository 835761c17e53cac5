import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, podSpecOf } from '../../engines/workloads/pod-specs.js';
import { podServiceAccount } from '../../engines/workloads/service-accounts.js';

export default defineCheck({
  id: 'pod/automount-service-account-token',
  rung: 2,
  severity: 'medium',
  title: 'Service account token mounted',
  rationale:
    'Unless told otherwise, Kubernetes mounts a token for the pod\'s service account into every container. A pod that never calls the API server gains nothing from it, and anyone who gets code running in that pod gets the token and every permission bound to it.',
  remediation: 'Set `automountServiceAccountToken: false` on the pod (or on its ServiceAccount); workloads that call the API keep it and use a dedicated, least-privileged service account.',
  references: [
    { title: 'Kubernetes: opt out of API credential automounting', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting' },
    { title: 'CIS Kubernetes Benchmark 5.1.6', cis: '5.1.6' },
  ],
  needs: { kinds: [...POD_KINDS, 'ServiceAccount'] },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: shop}
spec:
  containers:
    - name: worker
      image: registry.example.com/worker:2.1.0
`,
    good: `apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: shop}
spec:
  automountServiceAccountToken: false
  containers:
    - name: worker
      image: registry.example.com/worker:2.1.0
`,
  },
  evaluate: (r, { inventory }) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const path = joinPath(pod.path, 'automountServiceAccountToken');
    const own = pod.spec.automountServiceAccountToken;
    // The pod's own setting wins over its service account's (Kubernetes' precedence).
    if (own === false) return [];
    const saName = podServiceAccount(pod.spec);
    if (own === true) {
      return [{ path, message: `mounts the token of service account "${saName}" (automountServiceAccountToken: true)`, remediation: 'Set `automountServiceAccountToken: false` unless the workload calls the Kubernetes API.' }];
    }
    const sa = inventory.find('', 'ServiceAccount', r.namespace, saName);
    if (sa && sa.obj.automountServiceAccountToken === false) return [];
    const why = sa ? `service account "${saName}" does not opt out either` : `service account "${saName}" is not in the input, and Kubernetes' default mounts its token`;
    return [{ path, message: `mounts the service account token: the pod sets no automountServiceAccountToken and ${why}` }];
  },
});
