/**
 * Proposed Pod Security Admission labels: per namespace, the strictest level its workloads already
 * pass (`generate psa-labels` prints them; the reasons become comments).
 */
import type { Inventory } from '../../core/inventory.js';
import { SYSTEM_NAMESPACES } from '../kinds.js';
import type { PssLevel, PssVersion } from './index.js';
import { isPsaLevel, namespacePsaLabels, PSA_LABEL_PREFIX, type PsaLevel } from './labels.js';
import { evaluateWorkload, namespaceLevels, workloadsByNamespace } from './workloads.js';

export interface PsaProposal {
  namespace: string;
  level: PsaLevel;
  labels: Record<string, string>;
  /** Why this level, one line each, without the leading `# `. */
  reasons: string[];
}

const PSA_RANK: Record<PsaLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/**
 * The strictest Pod Security Admission level each namespace's workloads already pass, as labels:
 * enforce that level, and warn and audit at restricted while it is below restricted. A namespace
 * without workloads in the input gets baseline: we cannot see what will run there. A level the
 * namespace already enforces is never lowered: the reasons name the workloads it rejects. No
 * enforce-version label, so the policy tracks the cluster's version.
 */
export function proposePsaLabels(inventory: Inventory, version: PssVersion, exclude: ReadonlySet<string>): PsaProposal[] {
  const byNs = workloadsByNamespace(inventory);
  const defined = new Map(inventory.namespaces().map((n) => [n.name, n.resource]));
  const out: PsaProposal[] = [];
  for (const ns of namespaceLevels(inventory, version).values()) {
    if (SYSTEM_NAMESPACES.includes(ns.namespace) || exclude.has(ns.namespace)) continue;
    let level: PsaLevel = ns.workloads === 0 ? 'baseline' : ns.level;
    const reasons: string[] = [];
    if (ns.workloads === 0) reasons.push('no workloads in the input: baseline, the safe default');
    else if (level === 'restricted') reasons.push(`restricted: ${ns.workloads === 1 ? 'its workload passes' : `all ${ns.workloads} workloads pass`} restricted`);
    else {
      const next = level === 'privileged' ? 'baseline' : 'restricted';
      const holding = new Set(ns.holdingBack);
      for (const w of byNs.get(ns.namespace) ?? []) {
        if (!holding.has(`${w.kind}/${w.name}`)) continue;
        const result = evaluateWorkload(w, next, version);
        if (!result || result.allowed) continue;
        const why = [...new Set(result.violations.map((v) => v.message.split(' (')[0]))];
        reasons.push(`${level}: ${w.kind}/${w.name} fails ${next} (${why.join(', ')})`);
      }
    }
    // Never propose weakening what the namespace already enforces: name what would be rejected.
    const current = namespacePsaLabels(defined.get(ns.namespace)).enforce.level;
    if (isPsaLevel(current) && PSA_RANK[current] > PSA_RANK[level]) {
      const failing = (byNs.get(ns.namespace) ?? []).filter((w) => evaluateWorkload(w, current as PssLevel, version)?.allowed === false);
      reasons.push(
        `note: keeps the enforce=${current} the input already sets; ${failing.map((w) => `${w.kind}/${w.name}`).join(', ')} ${failing.length === 1 ? 'fails' : 'fail'} it, so ${failing.length === 1 ? 'its' : 'their'} pods are rejected at the next rollout: fix ${failing.length === 1 ? 'it' : 'them'} (kubeladder fix) or move ${failing.length === 1 ? 'it' : 'them'} to a namespace of ${failing.length === 1 ? 'its' : 'their'} own`,
      );
      level = current;
    }
    const labels: Record<string, string> = { [`${PSA_LABEL_PREFIX}enforce`]: level };
    if (level !== 'restricted') {
      labels[`${PSA_LABEL_PREFIX}audit`] = 'restricted';
      labels[`${PSA_LABEL_PREFIX}warn`] = 'restricted';
    }
    out.push({ namespace: ns.namespace, level, labels, reasons: reasons.map((r) => r.replace(/[\r\n]+/g, ' ')) });
  }
  return out;
}

