import { defineCheck } from '../../core/check.js';
import { deprecatedWrites } from '../../engines/versions/api-versions.js';
import { DEPRECATED_API_KINDS } from '../../engines/versions/deprecated-apis.js';

export default defineCheck({
  id: 'api/removed-version',
  rung: 2,
  severity: 'high',
  title: 'API version no longer served',
  rationale:
    'Kubernetes stops serving old API versions. A manifest written in one fails to apply, so the fix you need to ship in an incident does not go out, and an object last written in one marks a pipeline that will break at the next apply. Finding them before an upgrade is what keeps clusters upgrading.',
  remediation: 'Rewrite the object in the replacement apiVersion (check the migration guide for fields that changed), and update the pipeline or chart that writes it.',
  references: [
    { title: 'Kubernetes deprecated API migration guide', url: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/' },
    { title: 'Kubernetes deprecation policy', url: 'https://kubernetes.io/docs/reference/using-api/deprecation-policy/' },
  ],
  needs: { kinds: DEPRECATED_API_KINDS },
  kinds: DEPRECATED_API_KINDS,
  examples: {
    bad: `apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
`,
    good: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
`,
  },
  evaluate: (r, { inventory }) =>
    deprecatedWrites(r, inventory.kubernetesVersion, inventory.targetVersion)
      .filter((w) => w.removed)
      .map(({ written, api, judgedAgainst }) => {
        const how = written.path === 'apiVersion' ? `is written as ${written.apiVersion}` : `was last written as ${written.apiVersion}${written.writer ? ` by ${written.writer}` : ''}`;
        return {
          path: written.path,
          message: `${r.kind} ${how}, which Kubernetes ${api.removedIn} stopped serving (judged against ${judgedAgainst})`,
          remediation: `Write it as ${api.replacement}.`,
        };
      }),
});
