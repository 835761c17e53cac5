import { describe, expect, it } from 'vitest';
import check from '../../src/checks/image/digest-pinning.js';
import { failuresOf } from '../helpers/check-tester.js';

const DIGEST = 'sha256:ce74d3fa910120ac8955af51f46a56ee5ad9f57a10cd32d34af31be0dc21803f';

function pod(...images: string[]): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers:
${images.map((im, i) => `    - {name: c${i}, image: "${im}"}`).join('\n')}
`;
}

describe('image/digest-pinning', () => {
  it('fails every image without a valid digest, whatever its tag', async () => {
    const images = ['nginx', 'nginx:latest', 'nginx:1.27.3', 'registry.example.com:5000/shop/api', 'registry.example.com/shop/api:stable', `nginx@sha256:abc`, `nginx:1.27.3@${DIGEST}`, `registry.example.com:5000/shop/api@${DIGEST}`, `nginx@${DIGEST.toUpperCase().replace('SHA256', 'sha256')}`];
    const f = await failuresOf(check, pod(...images));
    expect(f.map((r) => r.path)).toEqual([0, 1, 2, 3, 4, 5, 8].map((i) => `spec.containers[${i}].image`));
  });

  it('says a version tag is mutable', async () => {
    const [r] = await failuresOf(check, pod('registry.example.com/shop/api:1.8.0'));
    expect(r!.message).toBe('container "c0" uses image "registry.example.com/shop/api:1.8.0" without a digest: the version tag "1.8.0" is mutable, and whoever can push to the repository can point it at another image');
    expect(r!.remediation).toBe('Pin the digest: `image: registry.example.com/shop/api:1.8.0@sha256:<digest>`.');
    expect(r!.severity).toBe('medium');
  });

  it('words the other cases', async () => {
    const f = await failuresOf(check, pod('busybox', 'busybox:latest', 'busybox:stable', 'busybox@sha256:abc'));
    expect(f.map((r) => r.message)).toEqual([
      'container "c0" uses image "busybox" with no tag and no digest, so it runs whatever :latest points to when the node pulls',
      'container "c1" uses image "busybox:latest" without a digest, and :latest moves with every push',
      'container "c2" uses image "busybox:stable" without a digest: the tag "stable" is mutable and can be pointed at another image',
      'container "c3" uses image "busybox@sha256:abc", whose digest "sha256:abc" is not a sha256 digest (64 hex digits), so it pins nothing a runtime will pull',
    ]);
  });
});
