import { defineCheck } from '../../core/check.js';

export default defineCheck({
  id: 'serviceaccount/automount-token',
  rung: 2,
  severity: 'medium',
  title: 'ServiceAccount mounts its token by default',
  rationale:
    'Unless a ServiceAccount sets `automountServiceAccountToken: false`, Kubernetes mounts its token into every pod that uses it and does not opt out itself. Opting out on the account makes "no token" the default, so only the pods that call the API (and say so) carry a credential an attacker can take.',
  remediation:
    'Set `automountServiceAccountToken: false` on the ServiceAccount; a pod that calls the Kubernetes API opts back in with `automountServiceAccountToken: true` in its own spec.',
  references: [
    { title: 'Kubernetes: opt out of API credential automounting', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting' },
    { title: 'CIS Kubernetes Benchmark 5.1.5: default service accounts are not actively used', cis: '5.1.5' },
    { title: 'CIS Kubernetes Benchmark 5.1.6: service account tokens are only mounted where necessary', cis: '5.1.6' },
  ],
  needs: { kinds: ['ServiceAccount'] },
  kinds: ['ServiceAccount'],
  examples: {
    bad: `apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: shop}
`,
    good: `apiVersion: v1
kind: ServiceAccount
metadata: {name: worker, namespace: shop}
automountServiceAccountToken: false
`,
  },
  evaluate: (r) => {
    const value = r.obj.automountServiceAccountToken;
    if (value === false) return [];
    return [
      value === undefined
        ? { message: `ServiceAccount "${r.name}" does not set automountServiceAccountToken: false, so every pod using it gets its token unless the pod opts out` }
        : {
            path: 'automountServiceAccountToken',
            message: `ServiceAccount "${r.name}" sets automountServiceAccountToken: ${JSON.stringify(value)}, so every pod using it gets its token unless the pod opts out`,
          },
    ];
  },
});
