/** pod/container-runtime-socket and pod/sensitive-host-path: one volume, one check. */
import { describe, expect, it } from 'vitest';
import socketCheck from '../../src/checks/pod/container-runtime-socket.js';
import sensitiveCheck from '../../src/checks/pod/sensitive-host-path.js';
import { canonicalHostPath } from '../../src/engines/hostpaths/host-paths.js';
import { failuresOf } from '../helpers/check-tester.js';

function pod(paths: string[], readOnly: boolean | 'mixed' = false): string {
  const mounts = paths.map((_, i) => `        - {name: v${i}, mountPath: /host/v${i}, readOnly: ${readOnly === 'mixed' ? i === 0 : readOnly}}`).join('\n');
  const second = readOnly === 'mixed' ? `\n    - name: sidecar\n      image: registry.example.com/b:1.0.0\n      volumeMounts:\n        - {name: v0, mountPath: /rw, readOnly: false}` : '';
  const volumes = paths.map((p, i) => `    - {name: v${i}, hostPath: {path: "${p}"}}`).join('\n');
  return `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ops}
spec:
  containers:
    - name: main
      image: registry.example.com/a:1.0.0
      volumeMounts:
${mounts}${second}
  volumes:
${volumes}
`;
}

async function flagged(check: typeof socketCheck, paths: string[]): Promise<string[]> {
  const f = await failuresOf(check, pod(paths));
  return f.map((r) => paths[Number(/volumes\[(\d+)\]/.exec(r.path!)![1])]!);
}

describe('canonicalHostPath', () => {
  it.each([
    ['/var/run/docker.sock', '/run/docker.sock'],
    ['/var/run', '/run'],
    ['/var/run/', '/run'],
    ['//var//run/./crio/', '/run/crio'],
    ['/var/running', '/var/running'],
    ['/', '/'],
    ['///', '/'],
    ['/etc/kubernetes/../kubernetes/pki', '/etc/kubernetes/pki'],
  ])('%s -> %s', (p, c) => {
    expect(canonicalHostPath(p)).toBe(c);
  });
});

describe('pod/container-runtime-socket', () => {
  it('flags the sockets, the directories above them, and socket files elsewhere', async () => {
    const yes = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/run/crio/crio.sock', '/var/run/cri-dockerd.sock', '/run', '/var/run', '/run/containerd', '/var/run/crio/', '/', '/run/k3s', '/run/user/1000/docker.sock'];
    const no = ['/var', '/var/lib', '/var/running', '/run/udev', '/run/containerd/io.containerd.runtime.v2.task', '/var/lib/docker', '/etc'];
    expect(await flagged(socketCheck, [...yes, ...no])).toEqual(yes);
  });

  it('names the volume, the path as written and the socket, and points at hostPath.path', async () => {
    const [r] = await failuresOf(socketCheck, pod(['/var/run/docker.sock/']));
    expect(r!.path).toBe('spec.volumes[0].hostPath.path');
    expect(r!.message).toBe('hostPath volume "v0" mounts /var/run/docker.sock/, the Docker socket: whoever controls container "main" controls the node\'s containers and the node itself');
    const [dir] = await failuresOf(socketCheck, pod(['/run/containerd']));
    expect(dir!.message).toContain('a directory that holds the containerd socket (/run/containerd/containerd.sock)');
    const [root] = await failuresOf(socketCheck, pod(['/']));
    expect(root!.message).toBe(
      'hostPath volume "v0" mounts /, the node\'s root directory, which holds every container runtime\'s socket (/run/docker.sock, /run/containerd/containerd.sock, /run/crio/crio.sock...): whoever controls container "main" controls the node\'s containers and the node itself',
    );
  });
});

describe('pod/sensitive-host-path', () => {
  it('flags the sensitive directories, paths inside the protected ones, and their ancestors, not the sockets', async () => {
    const yes = ['/', '/etc', '/etc/', '/proc', '/sys', '/root', '/home', '/boot', '/dev', '/var/lib/kubelet', '/var/lib/etcd', '/etc/kubernetes', '/var/lib/docker', '/var/lib/containerd', '/etc/kubernetes/pki', '/var/lib/kubelet/pods', '/var/lib/etcd/member', '/proc/1/root', '/root/.ssh', '/var', '/var/lib', '//var/./lib/kubelet/'];
    const no = ['/var/log', '/var/log/pods', '/etc/ssl/certs', '/etc/localtime', '/sys/fs/cgroup', '/dev/fuse', '/home/ubuntu/data', '/var/lib/docker/containers', '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs', '/run', '/var/run', '/var/run/docker.sock', '/run/containerd/containerd.sock', '/data', '/mnt/disks/ssd0'];
    expect(await flagged(sensitiveCheck, [...yes, ...no])).toEqual(yes);
  });

  it('says when every mount is read-only, and only then', async () => {
    const [ro] = await failuresOf(sensitiveCheck, pod(['/etc/kubernetes/pki'], true));
    expect(ro!.message).toBe(
      'hostPath volume "v0" mounts /etc/kubernetes/pki, a path inside /etc/kubernetes, which holds the cluster\'s PKI and the kubelet\'s and control plane\'s kubeconfigs (read-only in container "main": reading is enough to take what is there)',
    );
    expect(ro!.severity).toBe('high');
    const [rw] = await failuresOf(sensitiveCheck, pod(['/etc/kubernetes/pki'], false));
    expect(rw!.message).not.toContain('read-only');
    const [mixed] = await failuresOf(sensitiveCheck, pod(['/etc/kubernetes/pki'], 'mixed'));
    expect(mixed!.message).not.toContain('read-only');
  });

  it('names the directories a parent is above', async () => {
    const [r] = await failuresOf(sensitiveCheck, pod(['/var/lib/']));
    expect(r!.message).toBe('hostPath volume "v0" mounts /var/lib/, a directory above /var/lib/kubelet, /var/lib/etcd, /var/lib/docker, /var/lib/containerd');
    expect(r!.path).toBe('spec.volumes[0].hostPath.path');
  });
});
