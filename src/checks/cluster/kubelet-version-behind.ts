import { defineCheck } from '../../core/check.js';
import { KUBELET_VERSION_PATH, kubeletVersion, nodeExample } from '../../engines/versions/nodes.js';
import { compareMinor, parseVersion } from '../../engines/versions/releases.js';


export default defineCheck({
  id: 'cluster/kubelet-version-behind',
  rung: 2,
  severity: 'medium',
  title: 'Kubelet behind the API server',
  rationale:
    'A node whose kubelet is older than the control plane is usually an upgrade that stopped half way: the control plane got the fixes, the node did not. It is supported for a while, but it is where clusters fall behind.',
  remediation: 'Finish the upgrade: drain the node and upgrade its kubelet to the API server\'s version (or replace the node).',
  references: [{ title: 'Kubernetes version skew policy', url: 'https://kubernetes.io/releases/version-skew-policy/' }],
  needs: { kinds: ['Node'], inputs: ['kubernetes-version'] },
  kinds: ['Node'],
  examples: { bad: nodeExample('v1.36.5'), good: nodeExample('v1.37.2'), kubernetesVersion: { bad: 'v1.37.2', good: 'v1.37.2' } },
  evaluate: (node, { inventory }) => {
    const kubelet = kubeletVersion(node);
    const api = parseVersion(inventory.kubernetesVersion!);
    if (!kubelet || !api) return [];
    const byMinor = compareMinor(kubelet.version, api);
    const behind = byMinor < 0 || (byMinor === 0 && kubelet.version.patch !== undefined && api.patch !== undefined && kubelet.version.patch < api.patch);
    return behind ? [{ path: KUBELET_VERSION_PATH, message: `kubelet ${kubelet.raw} is behind the API server ${inventory.kubernetesVersion}` }] : [];
  },
});
