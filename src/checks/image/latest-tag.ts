import { defineCheck } from '../../core/check.js';
import { joinPath } from '../../core/path.js';
import { parseImage } from '../../engines/images/reference.js';
import { POD_KINDS, WORKLOAD_SCOPE, describeContainer, eachContainer } from '../../engines/workloads/pod-specs.js';

export default defineCheck({
  id: 'image/latest-tag',
  rung: 2,
  severity: 'high',
  title: 'Image without a tag or with :latest',
  rationale:
    'An image without a tag is pulled as `:latest`, and `:latest` moves: two nodes can run different code under one name, a rollback restores nothing, and whoever can push the tag decides what your cluster runs next.',
  remediation: 'Name an immutable version tag, and better, pin the digest: `image: registry/app:1.4.2@sha256:...`.',
  references: [
    { title: 'Kubernetes: images, updating images', url: 'https://kubernetes.io/docs/concepts/containers/images/#updating-images' },
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
          image: nginx:latest
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
          image: nginx:1.27.3
`,
  },
  evaluate: (r) =>
    eachContainer(r, (c) => {
      const image = c.container.image;
      if (typeof image !== 'string' || !image) return undefined;
      const ref = parseImage(image);
      if (ref.digest) return undefined;
      const path = joinPath(c.path, 'image');
      if (ref.tag === undefined) {
        return { path, message: `${describeContainer(c)} uses image "${image}" with no tag, so Kubernetes pulls :latest`, remediation: `Name a version: \`image: ${image}:<version>\` (and pin its digest).` };
      }
      if (ref.tag === 'latest') {
        return { path, message: `${describeContainer(c)} uses the moving tag "${image}"`, remediation: `Replace :latest with a version: \`image: ${image.slice(0, -':latest'.length)}:<version>\` (and pin its digest).` };
      }
      return undefined;
    }),
});
