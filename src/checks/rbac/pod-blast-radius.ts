import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { describeHoldings, riskyHoldings, type Holding } from '../../engines/rbac/holdings.js';
import { rbacModelOf, RBAC_KINDS, refDisplay } from '../../engines/rbac/inventory-model.js';
import type { RbacModel } from '../../engines/rbac/model.js';
import { userForServiceAccount } from '../../engines/rbac/subjects.js';
import { POD_KINDS, podSpecOf, WORKLOAD_SCOPE } from '../../engines/workloads/pod-specs.js';
import { podServiceAccount, tokenSource } from '../../engines/workloads/service-accounts.js';

/** Holdings by service account, per model: many pods share one account. */
const cache = new WeakMap<RbacModel, Map<string, Holding[]>>();

function holdingsOf(model: RbacModel, namespace: string, name: string): Holding[] {
  let byAccount = cache.get(model);
  if (!byAccount) cache.set(model, (byAccount = new Map()));
  const key = `${namespace}/${name}`;
  let h = byAccount.get(key);
  if (!h) byAccount.set(key, (h = riskyHoldings(model, userForServiceAccount(namespace, name), namespace)));
  return h;
}

export default defineCheck({
  id: 'rbac/pod-blast-radius',
  rung: 2,
  severity: 'high',
  title: "Pod's service account holds risky permissions",
  rationale:
    "A pod holds its service account's token, so whoever gets code running in any of its containers (a vulnerable dependency, an exposed debug endpoint) may do everything that account may: that is the pod's blast radius. An account that may read Secrets, exec into other pods, mint tokens, escalate or impersonate turns one compromised container into many, or into the cluster. Pods whose token is not mounted (automountServiceAccountToken: false, and no projected token volume) are not reported.",
  remediation:
    'Give the workload a service account of its own with only what it needs, take the risky permissions from the account it uses, or, if it never calls the API, set `automountServiceAccountToken: false`.',
  references: [
    { title: 'Kubernetes: RBAC good practices', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/' },
    { title: 'Kubernetes: service accounts (least privilege)', url: 'https://kubernetes.io/docs/concepts/security/service-accounts/' },
  ],
  needs: { kinds: [...POD_KINDS, ...RBAC_KINDS, 'ServiceAccount'] },
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
      serviceAccountName: api
      containers:
        - name: api
          image: registry.example.com/api:1.4.2
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: api-cluster-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: api, namespace: shop}
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
          image: registry.example.com/api:1.4.2
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: api-config-reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects:
  - {kind: ServiceAccount, name: api, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: config-reader, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["api-flags"]
    verbs: ["get", "watch"]
`,
  },
  evaluate: (r, { inventory }) => {
    const pod = podSpecOf(r);
    if (!pod || !r.namespace) return [];
    const name = podServiceAccount(pod.spec);
    const token = tokenSource(pod.spec, inventory.find('', 'ServiceAccount', r.namespace, name));
    if (!token) return [];
    const holdings = holdingsOf(rbacModelOf(inventory), r.namespace, name);
    if (holdings.length === 0) return [];
    // Each binding and role once, with the rules that grant what is listed.
    const rules = new Map<string, Set<number>>();
    for (const h of holdings) {
      const via = `${refDisplay(h.grant.binding)} -> ${refDisplay(h.grant.role)}`;
      const set = rules.get(via) ?? new Set();
      rules.set(via, set.add(h.grant.ruleIndex));
    }
    const bindings = [...rules].map(([via, set]) => {
      const list = [...set].sort((a, b) => a - b);
      return `${via} ${list.length === 1 ? 'rule' : 'rules'} ${list.join(', ')}`;
    });
    const field = typeof pod.spec.serviceAccountName === 'string' && pod.spec.serviceAccountName ? 'serviceAccountName' : typeof pod.spec.serviceAccount === 'string' && pod.spec.serviceAccount ? 'serviceAccount' : undefined;
    const account = `ServiceAccount ${r.namespace}/${name}`;
    return [
      {
        path: field ? joinPath(pod.path, field) : pod.path,
        message: `runs as ${account} (${token}), which may ${describeHoldings(holdings)}: so may whoever takes one of its containers (through ${bindings.join(', ')})`,
        remediation: `Take those permissions from ${account} (${bindings.join(', ')}) or run the workload as an account without them; if it never calls the API, set automountServiceAccountToken: false.`,
      },
    ];
  },
});
