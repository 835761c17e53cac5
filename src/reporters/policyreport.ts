/**
 * wgpolicyk8s.io/v1alpha2 PolicyReports, as Kyverno and Trivy Operator write them: one per
 * namespace, and one ClusterPolicyReport for the other cluster-scoped objects and results about
 * no object. Policy-report UIs and `kubectl get polr` then show kubeladder beside those tools.
 * `--format policyreport` prints them; `scan --cluster --write-reports` applies them.
 *
 * A Namespace's own results (no default-deny policy, say) go into that namespace's report: its
 * owners read them there, and a sharded scan, which judges each namespace in one shard, writes
 * them from that shard.
 */
import { createRequire } from 'node:module';
import { RUNG_NAMES } from '../core/ladder.js';
import type { Result, Status } from '../core/types.js';
import { subjectName } from './common.js';
import type { Reporter } from './types.js';

// yaml takes ~30 ms to import: only this format needs it.
const require = createRequire(import.meta.url);

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
/** The label on every report kubeladder writes: what `--write-reports` may replace and delete. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubeladder' } as const;
export const CLUSTER_REPORT_NAME = 'kubeladder-cluster';

/** The report for a namespace's results. */
export function reportName(namespace: string): string {
  return `kubeladder-${namespace}`;
}

type Outcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

const OUTCOME: Record<Status, Outcome> = { fail: 'fail', pass: 'pass', exempt: 'skip', 'not-assessed': 'skip' };

export interface PolicyReportObject {
  apiVersion: typeof POLICY_REPORT_API_VERSION;
  kind: 'PolicyReport' | 'ClusterPolicyReport';
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  summary: Record<Outcome, number>;
  results: Array<{ result: Outcome } & Record<string, unknown>>;
}

/** The ClusterPolicyReport first (always, even when empty), then a PolicyReport per namespace, sorted. */
export function policyReports(results: readonly Result[]): PolicyReportObject[] {
  const byNamespace = new Map<string, Result[]>();
  const cluster: Result[] = [];
  for (const r of results) {
    const ns = r.object?.namespace ?? (r.object?.kind === 'Namespace' && r.object.apiVersion === 'v1' ? r.object.name : undefined);
    if (ns === undefined) cluster.push(r);
    else byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), r]);
  }
  const reports = [report('ClusterPolicyReport', CLUSTER_REPORT_NAME, undefined, cluster)];
  for (const ns of [...byNamespace.keys()].sort()) reports.push(report('PolicyReport', reportName(ns), ns, byNamespace.get(ns)!));
  return reports;
}

export const policyreport: Reporter = ({ doc }) => {
  const { stringify } = require('yaml') as typeof import('yaml');
  return policyReports(doc.results)
    .map((r) => stringify(r, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
};

function report(kind: PolicyReportObject['kind'], name: string, namespace: string | undefined, results: readonly Result[]): PolicyReportObject {
  const entries = results.map(entry);
  const summary: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const e of entries) summary[e.result]++;
  return {
    apiVersion: POLICY_REPORT_API_VERSION,
    kind,
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}), labels: { ...MANAGED_BY } },
    summary,
    results: entries,
  };
}

function entry(r: Result): { result: Outcome } & Record<string, unknown> {
  const properties: Record<string, string> = { rung: String(r.rung) };
  if (r.path) properties.path = r.path;
  if (r.file) properties.file = r.file;
  if (r.line) properties.line = String(r.line);
  if (r.status === 'exempt' || r.status === 'not-assessed') properties.status = r.status;
  if (r.reason) properties.reason = r.reason;
  if (!r.object && subjectName(r)) properties.subject = subjectName(r);
  return {
    policy: r.check,
    rule: r.check,
    category: `rung ${r.rung}: ${RUNG_NAMES[r.rung]}`,
    severity: r.severity,
    result: OUTCOME[r.status],
    message: r.message,
    source: 'kubeladder',
    scored: true,
    ...(r.object ? { resources: [{ apiVersion: r.object.apiVersion, kind: r.object.kind, ...(r.object.namespace ? { namespace: r.object.namespace } : {}), name: r.object.name }] } : {}),
    properties,
  };
}
