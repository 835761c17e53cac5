/**
 * Pod Security Admission labels on the Namespace objects of the input: `enforce` at the strictest
 * level the namespace's workloads in the input pass once the other fixes are applied, and `warn`
 * and `audit` at restricted when that is lower.
 */
import { SYSTEM_NAMESPACES } from '../../engines/kinds.js';
import { isPsaLevel, isPsaVersion, PSA_LABEL_PREFIX, psaLabelsOf, type PsaLevel } from '../../engines/pss/labels.js';
import { strictestLevel, workloadsByNamespace } from '../../engines/pss/workloads.js';
import type { PssVersion } from '../../engines/pss/index.js';
import type { NamespaceFix } from '../types.js';

const NAME = 'psa-labels';
const RANK: Record<PsaLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

export const psaLabels: NamespaceFix = {
  name: NAME,
  scope: 'namespace',
  optIn: false,
  summary:
    'pod-security.kubernetes.io/enforce on Namespaces at the strictest level their workloads in the input pass after the other fixes (baseline when none are in the input), and warn/audit: restricted when that is lower',
  mayBreak:
    'pods the input does not show (created by hand, by operators or by charts deployed elsewhere) that need more than the level set are rejected at creation; existing pods keep running. Existing enforce labels are never lowered, system namespaces never touched.',
  apply(targets, inventory, unread) {
    const byNamespace = workloadsByNamespace(inventory);
    for (const t of targets) {
      const name = t.resource.name;
      if (typeof t.resource.obj.metadata?.name !== 'string') continue;
      if (SYSTEM_NAMESPACES.includes(name)) {
        t.patch.skipped(NAME, `${name} is a system namespace: never labelled`);
        continue;
      }
      if (unread.length > 0) {
        const list = unread.length > 3 ? `${unread.slice(0, 3).join(', ')} and ${unread.length - 3} more` : unread.join(', ');
        t.patch.skipped(NAME, `not labelled: fix cannot see the workloads of ${list} (unreadable, a Helm chart or a kustomization), and they may run in this namespace`);
        continue;
      }
      const labels = psaLabelsOf(typeof t.resource.obj.metadata.labels === 'object' ? t.resource.obj.metadata.labels : undefined);
      const version = (isPsaVersion(labels.enforce.version) ? labels.enforce.version : 'latest') as PssVersion;
      const workloads = byNamespace.get(name) ?? [];
      let level: PsaLevel = 'restricted';
      const verdicts = workloads.map((w) => ({ w, l: strictestLevel(w, version) ?? 'restricted' }));
      for (const { l } of verdicts) if (RANK[l] < RANK[level]) level = l;
      const holding = verdicts.filter(({ l }) => l === level && level !== 'restricted').map(({ w }) => `${w.kind}/${w.name}`);
      const why =
        workloads.length === 0
          ? 'no workloads in the input run there, so what will run is not known'
          : level === 'restricted'
            ? `its ${workloads.length} ${workloads.length === 1 ? 'workload passes' : 'workloads pass'} restricted`
            : `${holding.join(', ')} ${holding.length === 1 ? 'passes' : 'pass'} only ${level}`;
      if (workloads.length === 0) level = 'baseline';
      const existing = labels.enforce.level;
      const key = (mode: string): string[] => ['metadata', 'labels', `${PSA_LABEL_PREFIX}${mode}`];
      let final: PsaLevel | undefined;
      if (existing === undefined) {
        t.patch.set(key('enforce'), level);
        t.patch.applied(NAME, `enforce: ${level} (${why})`);
        final = level;
      } else if (!isPsaLevel(existing)) {
        t.patch.skipped(NAME, `enforce label ${JSON.stringify(existing)} is not a level; left alone`);
      } else if (RANK[existing] >= RANK[level]) {
        final = existing;
        if (RANK[existing] > RANK[level]) t.patch.skipped(NAME, `keeps enforce: ${existing}, stricter than ${level} (${why}); never lowered`);
      } else if (workloads.length === 0) {
        final = existing;
        t.patch.skipped(NAME, `keeps enforce: ${existing}: no workloads in the input run there to show ${level} is safe`);
      } else {
        t.patch.set(key('enforce'), level);
        t.patch.applied(NAME, `enforce: ${existing} raised to ${level} (${why})`);
        final = level;
      }
      if (final !== undefined && final !== 'restricted') {
        const added = (['warn', 'audit'] as const).filter((mode) => labels[mode].level === undefined);
        for (const mode of added) t.patch.set(key(mode), 'restricted');
        if (added.length) t.patch.applied(NAME, `${added.join(' and ')}: restricted (enforce is ${final})`);
      }
    }
  },
};
