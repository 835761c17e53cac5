import { defineCheck } from '../../core/check.js';
import { support } from '../../engines/versions/support.js';

export default defineCheck({
  id: 'cluster/kubernetes-version-supported',
  rung: 2,
  severity: 'high',
  title: 'Kubernetes version past end of life',
  rationale:
    'A Kubernetes minor release gets security patches for about 14 months. After that, every vulnerability found in the API server, the kubelet or the controllers stays open in your cluster for good, and the upgrade you will eventually need grows with every release you skip.',
  remediation: 'Upgrade the control plane, then the nodes, one minor release at a time, to a release that is still supported.',
  references: [
    { title: 'Kubernetes release history and end-of-life dates', url: 'https://kubernetes.io/releases/' },
    { title: 'Kubernetes patch releases and support period', url: 'https://kubernetes.io/releases/patch-releases/' },
  ],
  needs: { inputs: ['kubernetes-version'] },
  examples: {
    bad: '# kubeladder scan --cluster   (the API server reports v1.29.4)\n# or: kubeladder scan deploy/ --kubernetes-version v1.29.4\n',
    good: '# kubeladder scan --cluster   (the API server reports v1.37.2)\n# or: kubeladder scan deploy/ --kubernetes-version v1.37.2\n',
    kubernetesVersion: { bad: 'v1.29.4', good: 'v1.37.2' },
  },
  evaluateAll: ({ inventory, today }) => {
    const version = inventory.kubernetesVersion!;
    const verdict = support(version, today);
    if (verdict.supported) return [{ subject: { note: verdict.note }, violations: [] }];
    return [{ subject: {}, violations: [{ message: `the cluster runs ${version}: ${verdict.reason}, so security fixes no longer reach it` }] }];
  },
});
