/** The stepladder: rung names, how each rung's status follows from its checks, and the rung reached. */
import { blocksRung } from './severity.js';
import { RUNGS, type Rung, type Severity, type StatusCounts } from './types.js';

export const RUNG_NAMES: Record<Rung, string> = {
  1: 'The machine',
  2: 'In the cluster',
  3: 'From outside',
  4: 'People',
  5: 'Detection',
};

/** What would assess a rung that this input could not. */
export const RUNG_HINTS: Record<Rung, string> = {
  1: 'needs a node audit (`kubeladder node --root /` on each node; planned)',
  2: 'scan the cluster (`kubeladder scan --cluster`), or give manifests with `--kubernetes-version`',
  3: 'needs the CIS node checks and an exposure probe (`kubeladder node`, `kubeladder expose`; planned)',
  4: 'needs image and credential checks (planned)',
  5: 'needs file-integrity and audit-log checks (`kubeladder fim`, `kubeladder audit-log`; planned)',
};

export type RungStatus = 'passed' | 'failed' | 'partial' | 'not-assessed';

export interface CheckSummary {
  id: string;
  rung: Rung;
  severity: Severity;
  title: string;
  counts: StatusCounts;
}

export interface RungSummary {
  rung: Rung;
  name: string;
  status: RungStatus;
  counts: StatusCounts;
  /** Failures at high or critical severity: what keeps the rung from passing. */
  blockers: number;
  /** Set when something on the rung was not assessed: what would assess it. */
  hint?: string;
}

export interface Ladder {
  /** The highest N such that rungs 1..N all passed (0 when rung 1 did not). */
  rung: number;
  rungs: RungSummary[];
}

export function emptyCounts(): StatusCounts {
  return { fail: 0, pass: 0, 'not-assessed': 0, exempt: 0 };
}

export function addCounts(into: StatusCounts, from: StatusCounts): void {
  into.fail += from.fail;
  into.pass += from.pass;
  into['not-assessed'] += from['not-assessed'];
  into.exempt += from.exempt;
}

export function computeLadder(checks: readonly CheckSummary[]): Ladder {
  const rungs = RUNGS.map((rung): RungSummary => {
    const counts = emptyCounts();
    let blockers = 0;
    for (const c of checks) {
      if (c.rung !== rung) continue;
      addCounts(counts, c.counts);
      if (blocksRung(c.severity)) blockers += c.counts.fail;
    }
    const assessed = counts.pass + counts.fail + counts.exempt;
    const status: RungStatus =
      blockers > 0 ? 'failed' : counts['not-assessed'] > 0 ? (assessed > 0 ? 'partial' : 'not-assessed') : assessed > 0 ? 'passed' : 'not-assessed';
    const summary: RungSummary = { rung, name: RUNG_NAMES[rung], status, counts, blockers };
    if (status === 'partial' || status === 'not-assessed') summary.hint = RUNG_HINTS[rung];
    return summary;
  });
  let reached = 0;
  for (const r of rungs) {
    if (r.status !== 'passed') break;
    reached = r.rung;
  }
  return { rung: reached, rungs };
}
