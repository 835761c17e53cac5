import { defineCheck, type Evaluation } from '../../core/check.js';
import { namespaceSubject } from '../../core/subjects.js';
import { isPsaLevel, namespacePsaLabels, PSA_LABEL_PREFIX, type PsaLevel } from '../../engines/pss/labels.js';
import { namespaceLevels, type NamespaceLevel } from '../../engines/pss/workloads.js';
import { POD_KINDS } from '../../engines/workloads/pod-specs.js';

const NEXT: Record<PsaLevel, PsaLevel | undefined> = { privileged: 'baseline', baseline: 'restricted', restricted: undefined };

/** What the namespace's workloads already pass, so the operator knows which label is safe. */
function readiness(l: NamespaceLevel | undefined): string {
  if (!l || l.workloads === 0) return 'the input has no workloads in it, so baseline is the safe start';
  const held = l.holdingBack.length ? ` (${l.holdingBack.slice(0, 3).join(', ')}${l.holdingBack.length > 3 ? ` and ${l.holdingBack.length - 3} more` : ''} ${l.holdingBack.length === 1 ? 'keeps' : 'keep'} it below ${NEXT[l.level]})` : '';
  return `its ${l.workloads} ${l.workloads === 1 ? 'workload already passes' : 'workloads already pass'} ${l.level}${held}`;
}

function suggestedLevel(l: NamespaceLevel | undefined): PsaLevel {
  return !l || l.workloads === 0 ? 'baseline' : l.level;
}

export default defineCheck({
  id: 'namespace/pod-security-labels',
  rung: 2,
  severity: 'high',
  title: 'Namespace does not enforce a Pod Security Standard',
  rationale:
    'Pod Security Admission only blocks pods in namespaces labelled `pod-security.kubernetes.io/enforce` with `baseline` or `restricted`. Without that label (or with `privileged`, or with only `warn` and `audit` labels, which report but block nothing) anyone who can create a pod there can create a privileged one with the host\'s filesystem mounted. An invalid value makes the API server fall back to restricted and log an error, which is rarely what was meant. kubeladder cannot see a cluster-wide default set in the API server\'s admission configuration.',
  remediation:
    'Label the namespace with the strictest level its workloads already pass (`kubeladder generate psa-labels` proposes it; `kubeladder fix` writes it into Namespace manifests), add `warn` and `audit` at restricted, then fix what holds it below restricted.',
  references: [
    { title: 'Kubernetes: enforce Pod Security Standards with namespace labels', url: 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/' },
    { title: 'Kubernetes: Pod Security Admission', url: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/' },
    { title: 'CIS Kubernetes Benchmark 5.2.1', cis: '5.2.1' },
  ],
  needs: { kinds: ['Namespace', ...POD_KINDS] },
  namespacePolicy: true,
  examples: {
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/warn: restricted
`,
    good: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
`,
  },
  evaluateAll: ({ inventory }) => {
    const levels = namespaceLevels(inventory);
    return inventory.namespaces().map((ns): Evaluation => {
      const subject = namespaceSubject(ns);
      const labels = namespacePsaLabels(ns.resource);
      const enforce = labels.enforce.level;
      if (enforce === 'baseline' || enforce === 'restricted') return { subject, violations: [] };
      const l = levels.get(ns.name);
      const level = suggestedLevel(l);
      const label = `${PSA_LABEL_PREFIX}enforce`;
      const path = ns.resource ? (enforce === undefined ? 'metadata.labels' : `metadata.labels["${label}"]`) : undefined;
      const fixIt =
        level === 'privileged'
          ? `Fix or move the workloads that need privileges (a namespace of their own, with an exemption that says why), then label it: \`kubectl label namespace ${ns.name} ${label}=baseline\`.`
          : `\`kubectl label namespace ${ns.name} ${label}=${level} ${PSA_LABEL_PREFIX}warn=restricted ${PSA_LABEL_PREFIX}audit=restricted\``;
      let what: string;
      if (enforce === undefined) {
        const reporting = (['warn', 'audit'] as const).filter((m) => labels[m].level !== undefined).map((m) => `${m}=${labels[m].level}`);
        what = reporting.length
          ? `has only ${reporting.join(' and ')}, which ${reporting.length === 1 ? 'reports' : 'report'} but ${reporting.length === 1 ? 'blocks' : 'block'} nothing: no ${label} label, so any pod is admitted`
          : `has no ${label} label, so any pod is admitted`;
      } else if (!isPsaLevel(enforce)) {
        what = `has ${label}=${JSON.stringify(enforce)}, which is not a level: the API server falls back to restricted and reports an error`;
      } else {
        what = `enforces privileged, so any pod is admitted`;
      }
      return { subject, violations: [{ path, message: `namespace "${ns.name}" ${what}; ${readiness(l)}`, remediation: fixIt }] };
    });
  },
});
