import { defineCheck } from '../../core/check.js';
import { judgedRelease, reached } from '../../engines/versions/api-versions.js';
import { apiVersionOfRequest } from '../../engines/versions/deprecated-requests.js';

export default defineCheck({
  id: 'api/deprecated-api-requests',
  rung: 2,
  severity: 'medium',
  title: 'Clients still call deprecated API versions',
  rationale:
    'Stored objects are converted to the current version, so only the API server knows which clients still call a deprecated one: a controller, a CI job, an old kubectl. When the release that removes it arrives, those clients break, often the ones that deploy your fixes.',
  remediation: 'Find the callers (the API server audit log records the user agent of each request, annotated k8s.io/deprecated), and move them to the replacement version before upgrading.',
  references: [
    { title: 'Kubernetes deprecated API migration guide', url: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/' },
    { title: 'Kubernetes blog: deprecated API metrics and warnings', url: 'https://kubernetes.io/blog/2020/09/03/warnings/' },
  ],
  needs: { inputs: ['apiserver-metrics'] },
  examples: {
    bad: '# kubeladder scan --cluster, where the API server reports\n# apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",version="v1beta3",resource="flowschemas",removed_release="1.32"} 1\n',
    good: '# kubeladder scan --cluster, where apiserver_requested_deprecated_apis has no series\n',
    apiserverMetrics: {
      bad: 'apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="flowschemas",subresource="",version="v1beta3"} 1\n',
      good: '# HELP apiserver_requested_deprecated_apis Gauge of deprecated APIs that have been requested\n',
    },
  },
  evaluateAll: ({ inventory }) => {
    const judged = judgedRelease(inventory.kubernetesVersion, inventory.targetVersion);
    const violations = inventory.deprecatedApiRequests!.map((r) => {
      const api = `${apiVersionOfRequest(r)} ${r.resource}${r.subresource ? `/${r.subresource}` : ''}`;
      const removal = r.removedRelease
        ? reached(r.removedRelease, judged.version)
          ? `, removed in ${r.removedRelease} (at or before ${judged.why})`
          : `, to be removed in ${r.removedRelease}`
        : '';
      return { message: `clients have requested the deprecated ${api} since the API server started${removal}` };
    });
    return [{ subject: {}, violations }];
  },
});
