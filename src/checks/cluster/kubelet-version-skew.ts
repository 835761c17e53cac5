import { defineCheck } from '../../core/check.js';
import { KUBELET_VERSION_PATH, kubeletVersion, nodeExample } from '../../engines/versions/nodes.js';
import { compareMinor, minorOf, parseVersion } from '../../engines/versions/releases.js';
import { maxKubeletSkew } from '../../engines/versions/support.js';


export default defineCheck({
  id: 'cluster/kubelet-version-skew',
  rung: 2,
  severity: 'high',
  title: 'Kubelet outside the version skew policy',
  rationale:
    'Kubernetes supports a kubelet up to three minor releases older than the API server (two before 1.28), and never newer. Outside that window nobody tests the combination: features and security fixes that depend on both sides silently do not apply, and such nodes are usually ones an upgrade forgot.',
  remediation: 'Upgrade (or replace) the node so its kubelet is within three minor releases of the API server and not newer than it.',
  references: [{ title: 'Kubernetes version skew policy', url: 'https://kubernetes.io/releases/version-skew-policy/#kubelet' }],
  needs: { kinds: ['Node'], inputs: ['kubernetes-version'] },
  kinds: ['Node'],
  examples: { bad: nodeExample('v1.33.4'), good: nodeExample('v1.36.5'), kubernetesVersion: { bad: 'v1.37.2', good: 'v1.37.2' } },
  evaluate: (node, { inventory }) => {
    const kubelet = kubeletVersion(node);
    const api = parseVersion(inventory.kubernetesVersion!);
    if (!kubelet || !api) return [];
    const skew = api.minor - kubelet.version.minor;
    const max = maxKubeletSkew(api);
    if (compareMinor(kubelet.version, api) > 0) {
      return [{ path: KUBELET_VERSION_PATH, message: `kubelet ${kubelet.raw} is newer than the API server ${inventory.kubernetesVersion}; the kubelet must never be newer` }];
    }
    if (api.major !== kubelet.version.major || skew > max) {
      return [
        {
          path: KUBELET_VERSION_PATH,
          message: `kubelet ${kubelet.raw} is ${skew} minor releases behind the API server ${inventory.kubernetesVersion}; at most ${max} are supported`,
          remediation: `Upgrade the node to at least ${api.major}.${api.minor - max} (better: ${minorOf(api)}).`,
        },
      ];
    }
    return [];
  },
});
