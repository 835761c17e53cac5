import { defineCheck, type Violation } from '../../core/check.js';
import { containsPath, hostPathVolumes } from '../../engines/hostpaths/host-paths.js';
import { POD_KINDS, WORKLOAD_SCOPE, podSpecOf } from '../../engines/workloads/pod-specs.js';

/** Where the container runtimes keep their API sockets, canonical (`/var/run` read as `/run`). */
const RUNTIME_SOCKETS: ReadonlyArray<{ path: string; runtime: string }> = [
  { path: '/run/docker.sock', runtime: 'Docker' },
  { path: '/run/containerd/containerd.sock', runtime: 'containerd' },
  { path: '/run/crio/crio.sock', runtime: 'CRI-O' },
  { path: '/run/cri-dockerd.sock', runtime: 'cri-dockerd' },
  { path: '/run/dockershim.sock', runtime: 'dockershim' },
  { path: '/run/k3s/containerd/containerd.sock', runtime: 'k3s containerd' },
];

/** Socket file names that are a runtime's API wherever they live (rootless Docker, MicroK8s, custom roots). */
const SOCKET_NAMES: Readonly<Record<string, string>> = {
  'docker.sock': 'Docker',
  'containerd.sock': 'containerd',
  'crio.sock': 'CRI-O',
  'cri-dockerd.sock': 'cri-dockerd',
  'dockershim.sock': 'dockershim',
};

function exposedSockets(canonical: string): Array<{ path: string; runtime: string }> {
  const known = RUNTIME_SOCKETS.filter((s) => containsPath(canonical, s.path));
  if (known.length > 0) return known;
  const base = canonical.slice(canonical.lastIndexOf('/') + 1);
  const runtime = SOCKET_NAMES[base];
  return runtime ? [{ path: canonical, runtime }] : [];
}

export default defineCheck({
  id: 'pod/container-runtime-socket',
  rung: 2,
  severity: 'critical',
  title: 'Container runtime socket mounted',
  rationale:
    "The container runtime's socket (Docker's, containerd's, CRI-O's) is its unauthenticated API: whoever can connect to it starts a privileged container with the node's root filesystem and is root on the node, past every admission policy. Mounting a directory that holds the socket (`/run`, `/var/run`, `/run/containerd`, `/`) exposes it just the same, and `readOnly` does not help: connecting to a socket writes nothing to the filesystem. `/var/run` is a symlink to `/run`, so both spellings are read as one; a socket file named docker.sock, containerd.sock, crio.sock or cri-dockerd.sock is flagged wherever it lives.",
  remediation:
    'Remove the hostPath volume. Build images with a daemonless builder (BuildKit rootless, Kaniko, Buildah) and run helper containers as Jobs; agents that must read container metadata should use the kubelet or CRI APIs through a dedicated, audited component.',
  references: [
    { title: 'Kubernetes: hostPath volumes', url: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath' },
    { title: 'OWASP Docker Security Cheat Sheet: do not expose the Docker daemon socket', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html#rule-1-do-not-expose-the-docker-daemon-socket-even-to-the-containers' },
    { title: 'Pod Security Standards: HostPath Volumes', url: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', pss: 'HostPath Volumes' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: builder, namespace: ci}
spec:
  selector: {matchLabels: {app: builder}}
  template:
    metadata: {labels: {app: builder}}
    spec:
      containers:
        - name: builder
          image: registry.example.com/ci/builder:3.2.0
          volumeMounts:
            - {name: docker-sock, mountPath: /var/run/docker.sock}
      volumes:
        - name: docker-sock
          hostPath: {path: /var/run/docker.sock, type: Socket}
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: builder, namespace: ci}
spec:
  selector: {matchLabels: {app: builder}}
  template:
    metadata: {labels: {app: builder}}
    spec:
      containers:
        - name: builder
          image: registry.example.com/ci/buildkit:0.16.0-rootless
          volumeMounts:
            - {name: cache, mountPath: /home/user/.local/share/buildkit}
      volumes:
        - name: cache
          emptyDir: {}
`,
  },
  evaluate: (r) => {
    const pod = podSpecOf(r);
    if (!pod) return [];
    const out: Violation[] = [];
    for (const v of hostPathVolumes(pod)) {
      const sockets = exposedSockets(v.canonical);
      if (sockets.length === 0) continue;
      const isSocket = sockets.length === 1 && sockets[0]!.path === v.canonical;
      const runtimes = [...new Set(sockets.map((s) => s.runtime))];
      const holds =
        sockets.length <= 3
          ? `the ${runtimes.join(', ')} socket${sockets.length > 1 ? 's' : ''} (${sockets.map((s) => s.path).join(', ')})`
          : `every container runtime's socket (${sockets
              .slice(0, 3)
              .map((s) => s.path)
              .join(', ')}...)`;
      const what = isSocket ? `the ${runtimes[0]} socket` : `${v.canonical === '/' ? "the node's root directory, which" : 'a directory that'} holds ${holds}`;
      out.push({
        path: v.fieldPath,
        message: `hostPath volume "${v.name}" mounts ${v.path}, ${what}: whoever controls ${v.mountedBy.length > 0 ? v.mountedBy.join(' or ') : 'this pod'} controls the node's containers and the node itself`,
      });
    }
    return out;
  },
});
