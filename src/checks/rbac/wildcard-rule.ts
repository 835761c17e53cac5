import { defineCheck, type Violation } from '../../core/check.js';
import { RBAC_GROUP } from '../../engines/rbac/index.js';
import { isBuiltIn } from '../../engines/rbac/inventory-model.js';

const FIELDS = ['verbs', 'resources', 'apiGroups'] as const;

export default defineCheck({
  id: 'rbac/wildcard-rule',
  rung: 2,
  severity: 'high',
  title: 'RBAC rule with a wildcard',
  rationale:
    'A `*` in a rule\'s verbs, resources or API groups grants far more than anyone wrote down: every verb (escalate, bind and impersonate among them), every resource including Secrets and subresources like pods/exec, and whatever resources and API groups CRDs and later releases add. Such a role cannot be reviewed, and it usually amounts to admin.',
  remediation: 'List the verbs, resources and API groups the subject needs instead of `*` (`kubeladder rbac who-can` and the audit log show what it uses).',
  references: [
    { title: 'Kubernetes: RBAC good practices (least privilege)', url: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege' },
    { title: 'CIS Kubernetes Benchmark 5.1.3', cis: '5.1.3' },
  ],
  needs: { kinds: ['Role', 'ClusterRole'] },
  kinds: ['Role', 'ClusterRole'],
  examples: {
    bad: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`,
    good: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: shop}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "create", "update", "patch"]
`,
  },
  // Built-in roles are the API server's; an aggregated ClusterRole's rules are the aggregation
  // controller's copy of its parts, each of which is judged itself.
  appliesTo: (r) => r.group === RBAC_GROUP && !isBuiltIn(r) && r.obj.aggregationRule === undefined,
  evaluate: (r) => {
    const rules = r.obj.rules;
    if (!Array.isArray(rules)) return [];
    const out: Violation[] = [];
    rules.forEach((rule: unknown, i) => {
      if (typeof rule !== 'object' || rule === null) return;
      const wild = FIELDS.filter((f) => {
        const list = (rule as Record<string, unknown>)[f];
        return Array.isArray(list) && list.includes('*');
      });
      if (wild.length === 0) return;
      const fields = wild.length === 1 ? wild[0] : `${wild.slice(0, -1).join(', ')} and ${wild[wild.length - 1]}`;
      const field = (f: (typeof FIELDS)[number]): string[] => {
        const v = (rule as Record<string, unknown>)[f];
        return Array.isArray(v) ? v.map(String) : [];
      };
      const verbs = wild.includes('verbs') ? 'every verb' : `${field('verbs').join(', ')}`;
      const resources = wild.includes('resources') ? 'every resource and subresource' : field('resources').join(', ');
      const groups = wild.includes('apiGroups') ? 'in every API group' : `in API group${field('apiGroups').length === 1 ? '' : 's'} ${field('apiGroups').map((g) => (g === '' ? '"" (core)' : g)).join(', ')}`;
      out.push({
        path: `rules[${i}]`,
        message: `rule ${i} of ${r.display} has "*" in ${fields}: it allows ${verbs} on ${resources} ${groups}, including any added later`,
        remediation: `Replace "*" in ${fields} of rule ${i} with the ${wild.map((f) => (f === 'apiGroups' ? 'API groups' : f)).join(', ')} the role's subjects need.`,
      });
    });
    return out;
  },
});
