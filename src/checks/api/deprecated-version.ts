import { defineCheck, type Violation } from '../../core/check.js';
import { judgedRelease, reached, writtenVersions } from '../../engines/versions/api-versions.js';
import { DEPRECATED_API_KINDS, deprecationOf } from '../../engines/versions/deprecated-apis.js';

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
kind: CronJob
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
`,
    good: `# kubeladder scan --kubernetes-version v1.24.17
apiVersion: batch/v1
kind: CronJob
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
`,
    kubernetesVersion: { bad: 'v1.24.17', good: 'v1.24.17' },
  },
  evaluate: (r, { inventory }) => {
    const judged = judgedRelease(inventory.kubernetesVersion, inventory.targetVersion);
    const out: Violation[] = [];
    for (const w of writtenVersions(r)) {
      const d = deprecationOf(w.apiVersion, r.kind);
      // Removed versions are api/removed-version's finding; this one warns while there is time.
      if (!d || !reached(d.deprecatedIn, judged.version) || reached(d.removedIn, judged.version)) continue;
      out.push({
        path: w.path,
        message: `${r.kind} uses ${w.apiVersion}, deprecated since Kubernetes ${d.deprecatedIn} and removed in ${d.removedIn} (judged against ${judged.why})`,
        remediation: `Write it as ${d.replacement} before upgrading to ${d.removedIn}.`,
      });
    }
    return out;
  },
});
