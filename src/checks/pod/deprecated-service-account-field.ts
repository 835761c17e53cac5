import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { POD_KINDS, WORKLOAD_SCOPE, podSpecOf } from '../../engines/workloads/pod-specs.js';

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export default defineCheck({
  id: 'pod/deprecated-service-account-field',
  rung: 2,
  severity: 'low',
  title: 'Pod spec uses the deprecated serviceAccount field',
  rationale:
    '`serviceAccount` is a deprecated alias of `serviceAccountName` that Kubernetes reads only when `serviceAccountName` is empty. Reviewers and policies that look at `serviceAccountName` miss the identity it sets, and when the two disagree the one a reader sees first may not be the one the pod runs as.',
  remediation: 'Replace `serviceAccount` with `serviceAccountName` (same value) and remove the deprecated field.',
  references: [
    { title: 'Kubernetes API: PodSpec (serviceAccount is a deprecated alias for serviceAccountName)', url: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccount: api
      containers:
        - name: api
          image: registry.example.com/api:1.8.0
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: registry.example.com/api:1.8.0
`,
  },
  evaluate: (r, { inventory }) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const deprecated = nonEmpty(pod.spec.serviceAccount);
    if (deprecated === undefined) return [];
    const name = nonEmpty(pod.spec.serviceAccountName);
    const path = joinPath(pod.path, 'serviceAccount');
    if (name === undefined) {
      return [{ path, message: `sets the deprecated serviceAccount: ${deprecated} instead of serviceAccountName`, remediation: `Write \`serviceAccountName: ${deprecated}\` instead of \`serviceAccount: ${deprecated}\`.` }];
    }
    if (name === deprecated) {
      // The API server echoes serviceAccountName into serviceAccount on every object it returns:
      // in a cluster scan an equal pair says nothing about what anyone wrote.
      if (inventory.inputs.has('cluster')) return [];
      return [{ path, message: `sets the deprecated serviceAccount: ${deprecated} beside serviceAccountName: ${name}`, remediation: 'Remove `serviceAccount`; `serviceAccountName` already names the account.' }];
    }
    return [
      {
        path,
        message: `sets the deprecated serviceAccount: ${deprecated}, which Kubernetes ignores: the pod runs as serviceAccountName: ${name}`,
        remediation: `Remove \`serviceAccount\` and check that "${name}" (from serviceAccountName, which Kubernetes uses) is the account this workload should run as.`,
      },
    ];
  },
});
