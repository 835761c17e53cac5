import { defineCheck, type Evaluation, type Violation } from '../../core/check.js';
import type { Inventory } from '../../core/inventory.js';
import { inputBindings, rbacModelOf, RBAC_KINDS, refDisplay, subjectPath } from '../../engines/rbac/inventory-model.js';
import type { Subject } from '../../engines/rbac/types.js';

/**
 * Whether the service account is known not to exist: a live cluster lists every one; manifests
 * only speak for the namespaces they define (a Namespace object), where every account a pod may
 * use is expected beside it. Every namespace has `default`.
 */
function missingAccount(inventory: Inventory, s: Subject): string | undefined {
  const namespace = s.namespace!;
  const live = inventory.inputs.has('cluster');
  if (live && (inventory.unreadableKinds.has('ServiceAccount') || !inventory.namespaceListed(namespace))) return undefined;
  const nsObject = inventory.find('', 'Namespace', undefined, namespace);
  if (!nsObject) {
    if (!live || inventory.unreadableKinds.has('Namespace')) return undefined;
    return `namespace ${namespace} does not exist`;
  }
  if (s.name === 'default' || inventory.find('', 'ServiceAccount', namespace, s.name)) return undefined;
  return live ? `there is no ServiceAccount ${s.name} in namespace ${namespace}` : `the input defines namespace ${namespace} but no ServiceAccount ${s.name} in it`;
}

export default defineCheck({
  id: 'rbac/binding-missing-service-account',
  rung: 2,
  severity: 'medium',
  title: 'Binding to a service account that does not exist',
  rationale:
    "A binding to a service account that does not exist waits for it: whoever may create service accounts (or the namespace) of that name gets the role, with no bind permission needed. It usually means an account was deleted or renamed and its bindings left behind. Users and groups live outside the cluster and cannot be checked. With manifests, only namespaces the input defines are judged; a live scan judges every namespace it read (with -n or --shard, those only).",
  remediation: 'Remove the subject from the binding (or delete the binding), or create the service account it was meant for.',
  references: [
    { title: 'Kubernetes: RBAC (referring to subjects)', url: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects' },
    { title: 'Kubernetes: RBAC good practices', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/' },
  ],
  needs: { kinds: [...RBAC_KINDS, 'ServiceAccount', 'Namespace'] },
  examples: {
    bad: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: ServiceAccount, name: old-ci, namespace: shop}
`,
    good: `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ci, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: shop}
`,
  },
  evaluateAll: ({ inventory }) => {
    const model = rbacModelOf(inventory);
    return inputBindings(model).map((b): Evaluation => {
      const violations: Violation[] = [];
      for (const s of b.subjects) {
        if (s.kind !== 'ServiceAccount') continue;
        const why = missingAccount(inventory, s);
        if (!why) continue;
        const v: Violation = {
          message: `subject ServiceAccount ${s.namespace}/${s.name} does not exist (${why}): whoever creates it gets ${refDisplay(b.role?.ref ?? b.roleRef)}`,
          remediation: `Remove ServiceAccount ${s.namespace}/${s.name} from ${refDisplay(b.ref)}, or create the account it was meant for.`,
        };
        const path = subjectPath(b.resource, s);
        if (path) v.path = path;
        violations.push(v);
      }
      return { subject: b.resource, violations };
    });
  },
});
