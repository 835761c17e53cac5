import { defineCheck, type Evaluation } from '../../core/check.js';
import { namespaceSubject } from '../../core/subjects.js';
import { CHECKS as PSS_CHECKS } from '../../engines/pss/index.js';
import { isPsaLevel, isPsaVersion, namespacePsaLabels, PSA_LABEL_PREFIX, type PsaLevel } from '../../engines/pss/labels.js';
import { judgedRelease } from '../../engines/versions/api-versions.js';

/** A pin this many minor releases behind the cluster predates every release still supported beside it. */
const FAR_BEHIND = 3;

/** The plugin's checks of a level that changed after `pinned` and up to `current`, as `id (1.N)`. */
function changesSince(level: PsaLevel, pinned: number, current: number): string[] {
  const out: string[] = [];
  for (const c of PSS_CHECKS) {
    if (level === 'baseline' && c.level === 'restricted') continue;
    for (const v of c.versions) if (v.min > pinned && v.min <= current) out.push(`${c.id} (1.${v.min})`);
  }
  return [...new Set(out)].sort((a, b) => Number(/\(1\.(\d+)\)/.exec(a)![1]) - Number(/\(1\.(\d+)\)/.exec(b)![1]) || a.localeCompare(b));
}

export default defineCheck({
  id: 'namespace/pod-security-version',
  rung: 2,
  severity: 'medium',
  title: 'Pod Security enforce-version pinned far behind',
  rationale:
    'A namespace can pin the policy version it enforces (`pod-security.kubernetes.io/enforce-version: v1.N`). A pin far behind the cluster keeps the policy of an unsupported release: checks added since (probe and lifecycle hosts in 1.34, seccomp fields in 1.19...) and fixes to existing ones never apply there. Pins are meant for the weeks of an upgrade, not for good.',
  remediation: 'Remove the `enforce-version` label (it then tracks the cluster as `latest`) or move it to the cluster\'s minor version once the namespace\'s workloads pass at that version (`kubeladder pss check --version v1.N`).',
  references: [
    { title: 'Kubernetes: Pod Security Admission, versioning', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces' },
    { title: 'Kubernetes: version skew policy', url: 'https://kubernetes.io/releases/version-skew-policy/' },
  ],
  needs: { kinds: ['Namespace'] },
  namespacePolicy: true,
  examples: {
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.25
`,
    good: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: latest
`,
    kubernetesVersion: { bad: 'v1.37.2', good: 'v1.37.2' },
  },
  evaluateAll: ({ inventory }) => {
    const against = judgedRelease(inventory.kubernetesVersion, undefined);
    return inventory.namespaces().map((ns): Evaluation => {
      const subject = namespaceSubject(ns);
      const { enforce } = namespacePsaLabels(ns.resource);
      const version = enforce.version;
      // Without an enforced level the pin changes nothing; the labels check reports that.
      if (!isPsaLevel(enforce.level) || enforce.level === 'privileged' || version === undefined || version === 'latest') return { subject, violations: [] };
      const path = `metadata.labels["${PSA_LABEL_PREFIX}enforce-version"]`;
      if (!isPsaVersion(version)) {
        return { subject, violations: [{ path, message: `namespace "${ns.name}" pins enforce-version ${JSON.stringify(version)}, which is not "latest" or "v1.N": the API server falls back to latest and reports an error` }] };
      }
      const pinned = Number(version.slice('v1.'.length));
      const behind = against.version.minor - pinned;
      if (against.version.major !== 1 || behind < FAR_BEHIND) return { subject, violations: [] };
      const missed = changesSince(enforce.level, pinned, against.version.minor);
      const misses = missed.length ? `; it misses ${missed.join(', ')}` : '';
      return {
        subject,
        violations: [{ path, message: `namespace "${ns.name}" enforces ${enforce.level} at ${version}, ${behind} minor releases behind ${against.why}${misses}` }],
      };
    });
  },
});
