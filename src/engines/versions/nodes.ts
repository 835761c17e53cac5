/** Kubelet versions as Node objects report them. */
import type { Resource } from '../../core/resource.js';
import { parseVersion, type Version } from './releases.js';

export function kubeletVersion(node: Resource): { raw: string; version: Version } | undefined {
  const raw = (node.obj.status as { nodeInfo?: { kubeletVersion?: unknown } } | undefined)?.nodeInfo?.kubeletVersion;
  if (typeof raw !== 'string') return undefined;
  const version = parseVersion(raw);
  return version ? { raw, version } : undefined;
}

export const KUBELET_VERSION_PATH = 'status.nodeInfo.kubeletVersion';

/** A Node as the version checks' examples show it. */
export function nodeExample(kubelet: string): string {
  return `# with the API server at v1.37.2 (kubeladder scan --kubernetes-version v1.37.2)
apiVersion: v1
kind: Node
metadata: {name: worker-1}
status:
  nodeInfo:
    kubeletVersion: ${kubelet}
`;
}
