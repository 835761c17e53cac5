import { defineCheck, type Evaluation } from '../../core/check.js';
import { describeHoldings } from '../../engines/rbac/holdings.js';
import { bindingViolation, hitsOf, inputBindings, permissionHits, rbacModelOf, RBAC_KINDS, refDisplay, type Permission } from '../../engines/rbac/inventory-model.js';
import { WORKLOAD_WRITE } from '../../engines/rbac/risky-permissions.js';
import { subjectDisplay } from '../../engines/rbac/subjects.js';
import { serviceAccountsByNamespace, TokenTheft, type ServiceAccountGain, type TheftSummary } from '../../engines/rbac/token-theft.js';
import type { Subject } from '../../engines/rbac/types.js';

const ALL_KINDS = new Set(WORKLOAD_WRITE.permissions.map((p) => p.on));

/** `create, update, patch pods, deployments`: the verbs and kinds, once each. */
function describeWrites(permissions: readonly Permission[]): string {
  const verbs = [...new Set(permissions.map((p) => p.verb))];
  const kinds = [...new Set(permissions.map((p) => p.on))];
  return `${verbs.join(', ')} ${kinds.length === ALL_KINDS.size ? 'pods and every workload kind' : kinds.join(', ')}`;
}

const account = (g: ServiceAccountGain) => `ServiceAccount ${g.namespace}/${g.name}`;

export default defineCheck({
  id: 'rbac/workload-token-theft',
  rung: 2,
  severity: 'high',
  title: 'Subject may run pods as a more privileged service account',
  rationale:
    "Whoever may create pods, or any workload kind, in a namespace may run them as any service account of that namespace and read its token from inside: RBAC does not ask whether they may use that account. When an account there holds permissions the subject lacks (reading Secrets, exec, escalate, cluster-wide rights), the subject has them too, one pod away. Changing a pod or a workload's template counts the same: the new image runs as the same account. 'More privileged' compares the permissions kubeladder's RBAC checks report (secrets, exec, tokens, escalate/bind/impersonate, nodes/proxy, webhooks, CSR approval, PersistentVolumes, namespaces, events, kube-system ConfigMaps, workloads), namespace by namespace.",
  remediation:
    'Keep powerful service accounts out of namespaces where less trusted subjects deploy: move the workload that needs them to its own namespace, or take the permissions from the account; otherwise take the right to create and change workloads from the subject.',
  references: [
    { title: 'Kubernetes: RBAC good practices (workload creation)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation' },
    { title: 'Kubernetes: RBAC (privilege escalation prevention)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping' },
  ],
  needs: { kinds: [...RBAC_KINDS, 'ServiceAccount'] },
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "create", "update", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-deployer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: backup-reads-secrets, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view-secrets}
subjects:
  - {kind: ServiceAccount, name: backup, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view-secrets}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list"]
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "create", "update", "patch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-deployer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: backup-reads-secrets, namespace: backup}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view-secrets}
subjects:
  - {kind: ServiceAccount, name: backup, namespace: backup}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view-secrets}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list"]
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = rbacModelOf(inventory);
    const theft = new TokenTheft(model, serviceAccountsByNamespace(inventory, model));
    const hits = permissionHits(model, WORKLOAD_WRITE.permissions);
    return inputBindings(model).map((b): Evaluation => {
      const found = hitsOf(hits, b);
      if (!found) return { subject: b.resource, violations: [] };
      // Per creator (the binding's own subject objects), what it would gain; only creators that gain count.
      const gaining: Array<[Subject, TheftSummary]> = [];
      for (const s of found.subjects) {
        const summary = b.ref.kind === 'RoleBinding' ? theft.summaryIn(s, b.ref.namespace!) : theft.summaryEverywhere(s);
        if (summary) gaining.push([s, summary]);
      }
      if (gaining.length === 0) return { subject: b.resource, violations: [] };
      const v = bindingViolation(b, { subjects: gaining.map(([s]) => s), hits: found.hits }, describeWrites);
      const first = { subject: gaining[0]![0], theft: gaining[0]![1] };
      const { best, accounts, namespaces: inNamespaces } = first.theft;
      const others = accounts - 1;
      const more = others ? `; ${others} other service account${others === 1 ? '' : 's'}${inNamespaces > 1 ? ` in ${inNamespaces} namespaces` : ''} there also hold${others === 1 ? 's' : ''} more than ${subjectDisplay(first.subject)}` : '';
      v.message = `${v.message}, and so may run a pod as ${account(best)}, which may ${describeHoldings(best.gains)} (${subjectDisplay(first.subject)} may not)${more}`;
      const through = [...new Set(best.gains.map((g) => refDisplay(g.grant.binding)))].join(', ');
      v.remediation = `${v.remediation} Or keep ${account(best)} out of ${best.namespace}: move its workload to a namespace of its own, or take those permissions from it (${through}).`;
      return { subject: b.resource, violations: [v] };
    });
  },
});
