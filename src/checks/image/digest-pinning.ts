import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { parseImage } from '../../engines/images/reference.js';
import { POD_KINDS, WORKLOAD_SCOPE, describeContainer, eachContainer } from '../../engines/workloads/pod-specs.js';

/** A digest as registries compute it: sha256 (or sha512) of the manifest, in lower-case hex. */
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

export default defineCheck({
  id: 'image/digest-pinning',
  rung: 2,
  severity: 'medium',
  title: 'Image not pinned by digest',
  rationale:
    'A tag is a pointer the registry lets anyone with push rights move, version tags included: `api:1.8.0` can be re-pushed, overwritten by a compromised CI job or a registry mirror, and two nodes can pull different images under it. Only a digest (`@sha256:...`) names one image for good, so what was scanned, signed and tested is what runs, and a rollback restores the same bytes. image/latest-tag reports images with no tag or `:latest`; this check asks for a digest on every image.',
  remediation: 'Pin every image by digest, keeping the tag for people: `image: registry.example.com/app:1.8.0@sha256:<digest>` (`crane digest`, `docker buildx imagetools inspect`), and let Renovate or Dependabot update the pins.',
  references: [
    { title: 'Kubernetes: container images, image names', url: 'https://kubernetes.io/docs/concepts/containers/images/#image-names' },
    { title: 'Kubernetes configuration best practices: container images', url: 'https://kubernetes.io/docs/concepts/configuration/overview/#container-images' },
  ],
  needs: { kinds: POD_KINDS },
  ...WORKLOAD_SCOPE,
  examples: {
    bad: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web:1.27.3
`,
    good: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web:1.27.3@sha256:3d8aa48dde016c4abdcbeed1d7e39d93e5f79db92bae339a58d2b121232fa51e
`,
  },
  evaluate: (r) =>
    eachContainer(r, (c) => {
      const image = c.container.image;
      if (typeof image !== 'string' || !image.trim()) return undefined;
      const ref = parseImage(image);
      const path = joinPath(c.path, 'image');
      const who = describeContainer(c);
      if (ref.digest !== undefined) {
        if (DIGEST.test(ref.digest)) return undefined;
        return { path, message: `${who} uses image "${image}", whose digest "${ref.digest}" is not a sha256 digest (64 hex digits), so it pins nothing a runtime will pull` };
      }
      const name = `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}`;
      const remediation = `Pin the digest: \`image: ${name}${ref.tag !== undefined ? `:${ref.tag}` : ':<version>'}@sha256:<digest>\`.`;
      if (ref.tag === undefined) return { path, message: `${who} uses image "${image}" with no tag and no digest, so it runs whatever :latest points to when the node pulls`, remediation };
      if (ref.tag === 'latest') return { path, message: `${who} uses image "${image}" without a digest, and :latest moves with every push`, remediation };
      const version = /^v?\d+(\.\d+)*([-+.][\w.-]*)?$/.test(ref.tag);
      return {
        path,
        message: version
          ? `${who} uses image "${image}" without a digest: the version tag "${ref.tag}" is mutable, and whoever can push to the repository can point it at another image`
          : `${who} uses image "${image}" without a digest: the tag "${ref.tag}" is mutable and can be pointed at another image`,
        remediation,
      };
    }),
});
