import { defineCheck } from '../../core/check.js';
import { patchesBehind } from '../../engines/versions/support.js';

export default defineCheck({
  id: 'cluster/kubernetes-patch-current',
  rung: 2,
  severity: 'medium',
  title: 'Kubernetes patch release behind',
  rationale:
    'Patch releases carry the security fixes of a supported minor release. A cluster a few patches behind runs code with published vulnerabilities that a same-minor upgrade, the least risky kind, would close.',
  remediation: 'Upgrade to the newest patch release of your minor version (control plane first, then nodes).',
  references: [{ title: 'Kubernetes patch releases', url: 'https://kubernetes.io/releases/patch-releases/' }],
  needs: { inputs: ['kubernetes-version'] },
  examples: {
    bad: '# the API server reports v1.36.1 while v1.36.5 is out\n# kubeladder scan deploy/ --kubernetes-version v1.36.1\n',
    good: '# kubeladder scan deploy/ --kubernetes-version v1.36.5\n',
    kubernetesVersion: { bad: 'v1.36.1', good: 'v1.36.5' },
  },
  evaluateAll: ({ inventory }) => {
    const version = inventory.kubernetesVersion!;
    const lag = patchesBehind(version);
    if (!lag || lag.behind === 0) return [{ subject: {}, violations: [] }];
    return [
      {
        subject: {},
        violations: [
          {
            message: `the cluster runs ${version}, ${lag.behind} patch release${lag.behind === 1 ? '' : 's'} behind ${lag.latest}`,
            remediation: `Upgrade to ${lag.latest}.`,
          },
        ],
      },
    ];
  },
});
