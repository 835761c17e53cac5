import { defineCheck } from '../../core/check.js';
import { deprecatedWrites } from '../../engines/versions/api-versions.js';
import { DEPRECATED_API_KINDS } from '../../engines/versions/deprecated-apis.js';

/** The examples' CronJob, below its apiVersion. */
const CRONJOB = `kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 6 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          automountServiceAccountToken: false
          containers: [{name: report, image: "registry.example.com/report:1.0.0"}]
`;

export default defineCheck({
  id: 'api/deprecated-version',
  rung: 2,
  severity: 'medium',
  title: 'Deprecated API version',
  rationale:
    'A deprecated API version still works today and is scheduled to stop: the upgrade that removes it breaks every manifest and client still using it. Moving now costs a one-line change; moving during the upgrade costs the upgrade.',
  remediation: 'Rewrite the object in the replacement apiVersion before upgrading to the release that removes it.',
  references: [{ title: 'Kubernetes deprecated API migration guide', url: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/' }],
  // Without the cluster's version every listed API is judged against the newest release, where
  // all of them are already removed (api/removed-version's finding): this check needs the version.
  needs: { kinds: DEPRECATED_API_KINDS, inputs: ['kubernetes-version'] },
  kinds: DEPRECATED_API_KINDS,
  examples: {
    bad: `# kubeladder scan --kubernetes-version v1.24.17 (deprecated in 1.21, removed in 1.25)
apiVersion: batch/v1beta1
${CRONJOB}`,
    good: `# kubeladder scan --kubernetes-version v1.24.17
apiVersion: batch/v1
${CRONJOB}`,
    kubernetesVersion: { bad: 'v1.24.17', good: 'v1.24.17' },
  },
  // Removed versions are api/removed-version's finding; this one warns while there is time.
  evaluate: (r, { inventory }) =>
    deprecatedWrites(r, inventory.kubernetesVersion, inventory.targetVersion)
      .filter((w) => w.deprecated && !w.removed)
      .map(({ written, api, judgedAgainst }) => ({
        path: written.path,
        message: `${r.kind} uses ${written.apiVersion}, deprecated since Kubernetes ${api.deprecatedIn} and removed in ${api.removedIn} (judged against ${judgedAgainst})`,
        remediation: `Write it as ${api.replacement} before upgrading to ${api.removedIn}.`,
      })),
});
