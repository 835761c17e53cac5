import { defineCheck, type Violation } from '../../core/check.js';
import { containsPath, hostPathVolumes } from '../../engines/hostpaths/host-paths.js';
import { POD_KINDS, WORKLOAD_SCOPE, podSpecOf } from '../../engines/workloads/pod-specs.js';

/** Host directories whose contents are the node's keys, credentials or kernel interfaces, with what each holds. */
const SENSITIVE: ReadonlyArray<{ path: string; holds: string; subtree?: boolean }> = [
  { path: '/', holds: "the node's whole filesystem" },
  { path: '/etc', holds: "the node's configuration, password hashes and kubelet settings" },
  { path: '/etc/kubernetes', holds: "the cluster's PKI and the kubelet's and control plane's kubeconfigs", subtree: true },
  { path: '/proc', holds: "every host process's memory, environment and kernel tunables", subtree: true },
  { path: '/sys', holds: "the kernel's device, cgroup and module controls" },
  { path: '/root', holds: "root's home: SSH keys and cloud credentials", subtree: true },
  { path: '/home', holds: "the node users' homes and SSH keys" },
  { path: '/boot', holds: "the node's kernel and boot loader" },
  { path: '/dev', holds: "the node's devices, its disks included" },
  { path: '/var/lib/kubelet', holds: "the kubelet's credentials and every pod's volumes, Secrets included", subtree: true },
  { path: '/var/lib/etcd', holds: "etcd's data: every object of the cluster, Secrets included", subtree: true },
  { path: '/var/lib/docker', holds: "every container's filesystem and Docker's state" },
  { path: '/var/lib/containerd', holds: "every container's filesystem and containerd's state" },
];

/** What a canonical host path reaches: a sensitive directory, something inside one, or a directory above some. */
function sensitivity(canonical: string): string | undefined {
  const exact = SENSITIVE.find((s) => s.path === canonical);
  if (exact) return exact.holds;
  const within = SENSITIVE.find((s) => s.subtree && containsPath(s.path, canonical));
  if (within) return `a path inside ${within.path}, which holds ${within.holds}`;
  const below = SENSITIVE.filter((s) => containsPath(canonical, s.path)).map((s) => s.path);
  if (below.length > 0) return `a directory above ${below.join(', ')}`;
  return undefined;
}

export default defineCheck({
  id: 'pod/sensitive-host-path',
  rung: 2,
  severity: 'high',
  title: 'Sensitive host directory mounted',
  rationale:
    "Some host directories are the node's keys to everything: /etc/kubernetes holds the cluster's PKI and kubeconfigs, /var/lib/kubelet the kubelet's credentials and every pod's Secrets, /var/lib/etcd the whole cluster's data, /proc and /sys the kernel's controls, / all of them. A pod that mounts one of them (or a directory above one, like /var) can read those credentials, and write access is root on the node. Read-only is still a finding, since reading a private key is enough; the message says when every mount is read-only. The container runtime's socket (/run, /var/run) is reported by pod/container-runtime-socket instead. Agents that really need such access (node-exporter, CSI node plugins under /var/lib/kubelet) belong in an exemption with the reason.",
  remediation:
    'Remove the hostPath volume, or mount the narrowest path the program needs (a single file or subdirectory that holds no credentials), read-only. Use a ConfigMap, a Secret, a projected service account token or a CSI driver instead of reading host files.',
  references: [
    { title: 'Kubernetes: hostPath volumes', url: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath' },
    { title: 'Pod Security Standards: HostPath Volumes', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'HostPath Volumes' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent, namespace: logging}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers:
        - name: agent
          image: registry.example.com/logging/agent:2.3.1
          volumeMounts:
            - {name: varlib, mountPath: /host/var/lib, readOnly: true}
      volumes:
        - name: varlib
          hostPath: {path: /var/lib}
`,
    good: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: log-agent, namespace: logging}
spec:
  selector: {matchLabels: {app: log-agent}}
  template:
    metadata: {labels: {app: log-agent}}
    spec:
      containers:
        - name: agent
          image: registry.example.com/logging/agent:2.3.1
          volumeMounts:
            - {name: pod-logs, mountPath: /var/log/pods, readOnly: true}
      volumes:
        - name: pod-logs
          hostPath: {path: /var/log/pods, type: Directory}
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const v of hostPathVolumes(pod)) {
      const holds = sensitivity(v.canonical);
      if (!holds) continue;
      const ro = v.readOnlyEverywhere ? ` (read-only in ${v.mountedBy.length === 1 ? v.mountedBy[0] : `all of ${v.mountedBy.join(', ')}`}: reading is enough to take what is there)` : '';
      out.push({ path: v.fieldPath, message: `hostPath volume "${v.name}" mounts ${v.path}, ${holds}${ro}` });
    }
    return out;
  },
});
